import type { AddressInfo } from 'node:net';
import { createAuthClient } from '@edd/auth-client';
import { formatScope } from '@edd/scopes';
import express from 'express';
import { adminLogin, authDirectUrl, serviceApiKey, urls } from '../support/e2e-env';
import { expect, test } from '../support/fixtures';
import { gatewayFetch } from '../support/gateway-fetch';

/**
 * The auth issue's "must show", against the running platform: a session from POST /api/login through the
 * gateway, then a token scoped to `storage.<uid>.files` read, presented to a service that mounts
 * @edd/auth-client the way storage will: allowed to read a file, refused to delete it.
 */
test('a storage-scoped read token is accepted for a read and refused for a delete by a service using auth-client', async ({
  uniqueName,
}) => {
  const login = await gatewayFetch(`${urls.auth}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(adminLogin),
  });
  expect(login.status).toBe(200);
  const session = (await login.json()) as { user_id: string; username: string; token: string };
  expect(session).toMatchObject({ username: adminLogin.username, token: expect.stringMatching(/^ey/) });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  const created = await gatewayFetch(`${urls.auth}/api/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...bearer(session.token) },
    body: JSON.stringify({ name: uniqueName('read-files'), scopes: { [`storage.${session.user_id}.files`]: ['read'] }, expires_in: '30d' }),
  });
  expect(created.status).toBe(201);
  const apiToken = (await created.json()) as { id: string; token: string };

  const auth = createAuthClient({ authBaseUrl: authDirectUrl, serviceKey: serviceApiKey });
  const app = express();
  app.use(auth.authenticate);
  const fileScope = (req: express.Request) => formatScope('storage', session.user_id, 'files', String(req.params['id']));
  app.get('/files/:id', auth.requireScope(fileScope, 'read'), (_req, res) => void res.json({ read: true }));
  app.delete('/files/:id', auth.requireScope(fileScope, 'delete'), (_req, res) => void res.json({ deleted: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const service = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    const read = await fetch(`${service}/files/report`, { headers: bearer(apiToken.token) });
    expect(read.status).toBe(200);
    const remove = await fetch(`${service}/files/report`, { method: 'DELETE', headers: bearer(apiToken.token) });
    expect(remove.status).toBe(403);
    expect(await remove.json()).toHaveProperty('error');
    // The owner's own session holds every action on their own files.
    expect((await fetch(`${service}/files/report`, { method: 'DELETE', headers: bearer(session.token) })).status).toBe(200);
    expect((await fetch(`${service}/files/report`)).status).toBe(401);
  } finally {
    server.close();
    await auth.close();
    await gatewayFetch(`${urls.auth}/api/tokens/${apiToken.id}`, { method: 'DELETE', headers: bearer(session.token) });
    await gatewayFetch(`${urls.auth}/api/logout`, { method: 'POST', headers: bearer(session.token) });
  }
});
