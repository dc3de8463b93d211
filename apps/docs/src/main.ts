import { fileURLToPath } from 'node:url';
import { env } from '@edd/config';
import { serviceAppOptions, startService } from '@edd/service-runtime';
import { createDocsApp } from './docs-app';

// The workspace's docs/ folder: three levels up from both src/main.ts and the bundled dist/apps/docs/main.mjs.
const DEFAULT_DOCS_DIR = fileURLToPath(new URL('../../../docs', import.meta.url));

await startService({
  name: 'docs',
  defaultPort: 4007,
  configShape: { DOCS_DIR: env.string().default(DEFAULT_DOCS_DIR) },
  buildApp: (deps, config, logger) =>
    createDocsApp({ appOptions: serviceAppOptions('docs', { ...deps, config, logger }), docsDir: config.DOCS_DIR }),
});
