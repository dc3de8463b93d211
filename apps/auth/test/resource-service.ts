import { createAuthClient, requireScope } from '@edd/auth-client';
import type { EventBus } from '@edd/events';
import { serve } from '@edd/http';
import { createLogger } from '@edd/logger';
import { formatScope } from '@edd/scopes';
import express from 'express';
import { Writable } from 'node:stream';
import { SERVICE_KEY } from './harness';

/**
 * A second, tiny service that trusts auth only through @edd/auth-client, as storage would:
 * GET/DELETE /files/:owner/:ns need read/delete on storage.<owner>.files.<ns>.
 */
export async function startResourceService(authBaseUrl: string, bus: EventBus) {
  const silent = createLogger({ service: 'resource-test', stream: new Writable({ write: (_c, _e, done) => done() }) });
  const client = createAuthClient({ authBaseUrl, serviceKey: SERVICE_KEY, bus, logger: silent });
  await client.ready();
  const scopeOf = (req: express.Request) => formatScope('storage', String(req.params['owner']), 'files', String(req.params['ns']));
  const app = express();
  app.use(client.authenticate);
  app.get('/files/:owner/:ns', requireScope(scopeOf, 'read'), (req, res) => {
    res.json({ ok: true, kind: req.principal?.kind });
  });
  app.delete('/files/:owner/:ns', requireScope(scopeOf, 'delete'), (_req, res) => {
    res.json({ ok: true });
  });
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger: silent, handleSignals: false, graceMs: 500 });
  return {
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      await client.close();
    },
  };
}
