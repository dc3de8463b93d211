import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
let server: ViteDevServer;
let base: string;

beforeAll(async () => {
  server = await createServer({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    server: { port: 0, strictPort: false, hmr: false },
    logLevel: 'silent',
  });
  await server.listen();
  base = `http://127.0.0.1:${(server.httpServer?.address() as { port: number }).port}`;
}, 60_000);
afterAll(() => server?.close());

const fetchFs = (path: string) => fetch(`${base}/@fs${workspace}${path}`, { headers: { host: '127.0.0.1' } });

describe('the dashboard dev server', () => {
  it('does not serve workspace files outside the dashboard and what it imports', async () => {
    for (const path of ['tools/dev/dev-env.ts', 'apps/auth/src/config.ts', 'package.json', 'libs/http/src/index.ts'])
      expect((await fetchFs(path)).status, path).toBe(403);
  });

  it('serves the dashboard and the libraries it imports as source', async () => {
    for (const path of ['apps/dashboard/src/main.tsx', 'libs/api-client/src/index.ts'])
      expect((await fetchFs(path)).status, path).toBe(200);
  });
});
