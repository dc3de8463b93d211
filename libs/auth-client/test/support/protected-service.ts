// A tiny service that mounts the auth client the way every real service does, on a real socket.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { call as callService, type Reply } from '@edd/http/testing';
import { formatScope } from '@edd/scopes';
import express from 'express';
import { createAuthClient } from '../../src/index';
import type { AuthClient, AuthClientOptions } from '../../src/index';

export interface ProtectedService {
  url: string;
  client: AuthClient;
  close(): Promise<void>;
}

export async function startProtectedService(options: AuthClientOptions): Promise<ProtectedService> {
  const client = createAuthClient(options);
  const app = express();
  app.use(client.authenticate);
  app.get('/public', (req, res) => {
    res.json({ principal: req.principal ?? null });
  });
  app.get('/me', client.requireAuth, (req, res) => {
    res.json(req.principal);
  });
  app.get('/session-only', client.requireSession, (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/admin', client.requireAdmin, (_req, res) => {
    res.json({ ok: true });
  });
  const filesScope = (req: express.Request) => formatScope('storage', String(req.params['uid']), 'files', String(req.params['ns']));
  app.get('/files/:uid/:ns', client.requireScope(filesScope, 'read'), (_req, res) => {
    res.json({ ok: true });
  });
  app.delete('/files/:uid/:ns', client.requireScope(filesScope, 'delete'), (_req, res) => {
    res.json({ ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  await client.ready();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    client,
    close: async () => {
      await client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** GET/DELETE `url` with an optional bearer token / cookie (sent even when empty: malformed ones are tested). */
export function call(url: string, options: { method?: string; bearer?: string; cookie?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.bearer !== undefined) headers['authorization'] = `Bearer ${options.bearer}`;
  if (options.cookie !== undefined) headers['cookie'] = options.cookie;
  return callService(url, options.method ?? 'GET', '', { headers });
}
