import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The base domain comes from configuration: VITE_EDD_DOMAIN (or the platform-wide EDD_DOMAIN that `npm start` sets).
// The dev server falls back to the development domain; a production build without one derives the domain from the
// host it is served on at runtime (see src/platform/platform-config.ts).
const configuredDomain = process.env.VITE_EDD_DOMAIN || process.env.EDD_DOMAIN || '';
const DEV_DOMAIN = 'cloud.localhost';

/**
 * What the dev server may read (`/@fs/...`): the dashboard, the two libs it imports as source, and the packages.
 * Vite's default is the whole workspace, so any page able to reach the dev server could read every source file,
 * `.data/` (passwords, keys) included.
 */
export const DEV_SERVER_FILES = {
  strict: true,
  allow: [here('.'), here('../../libs/api-client/src'), here('../../libs/event-contracts/src'), here('../../node_modules')],
};

export default defineConfig(({ command }) => {
  const domain = configuredDomain || (command === 'serve' ? DEV_DOMAIN : '');
  // Vite refuses unknown Host headers (DNS-rebinding guard); the gateway forwards the platform's own host names.
  const hostDomain = domain || DEV_DOMAIN;
  const allowedHosts = [hostDomain, `.${hostDomain}`, '127.0.0.1', 'localhost'];

  return {
    root: here('.'),
    plugins: [react()],
    resolve: {
      alias: {
        '@edd/api-client': here('../../libs/api-client/src/index.ts'),
        '@edd/event-contracts': here('../../libs/event-contracts/src/index.ts'),
      },
    },
    define: { 'import.meta.env.VITE_EDD_DOMAIN': JSON.stringify(domain) },
    // HMR: Vite's client connects back to the host and port the page came from, so through the gateway
    // (cloud.localhost:18080) the websocket goes through the gateway's Upgrade proxy too; nothing to set.
    server: { port: 4000, strictPort: true, host: '127.0.0.1', allowedHosts, fs: DEV_SERVER_FILES },
    preview: { port: 4000, strictPort: true, host: '127.0.0.1', allowedHosts },
    build: { outDir: here('../../dist/apps/dashboard'), emptyOutDir: true, sourcemap: true },
  };
});
