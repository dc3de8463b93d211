// Nx loads generators with require(); on Node 20 it cannot strip TypeScript by itself, so tsx compiles the real one.
require('tsx/cjs/api').register();
module.exports = require('./generator.ts');
