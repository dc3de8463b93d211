// End to end: a ticket from the real auth service (POST /api/tickets) opens a WebSocket of another service that
// trusts auth only through @edd/auth-client and @edd/live, exactly once.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthClient } from '@edd/auth-client';
import { attachLive, createLiveAuth, createLiveHub } from '@edd/live';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ADMIN, call, createUserAndLogin, login, SERVICE_KEY, startFresh, type LoginReply } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let user: LoginReply;
let wsBase: string;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  env = await startFresh('live_tickets');
  const admin = await login(env.auth.url, ADMIN.username, ADMIN.password);
  user = await createUserAndLogin(env.auth.url, admin.token, 'live.user');

  const client = createAuthClient({ authBaseUrl: env.auth.url, serviceKey: SERVICE_KEY });
  const hub = createLiveHub();
  hub.websocket({
    path: '/api/notifications/live',
    auth: createLiveAuth({ client, domain: 'cloud.localhost', audience: 'notifications' }),
    onConnection: (socket, principal) => void socket.send({ userId: principal.userId, kind: principal.kind }),
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  attachLive(server, hub);
  wsBase = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/notifications/live`;
  cleanup.push(async () => {
    await hub.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await client.close();
  });
});
afterAll(async () => {
  for (const step of cleanup) await step();
  await env?.close();
});

/** The first message, or the refusal's status. */
function open(url: string, headers: Record<string, string> = {}): Promise<{ status: number; hello?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('message', (data) => {
      resolve({ status: 101, hello: JSON.parse(String(data)) as Record<string, unknown> });
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.once('error', reject);
  });
}

it('a ticket issued by auth opens the socket once, as the user it was issued to', async () => {
  const issued = await call<{ ticket: string }>(env.auth.url, 'POST', '/api/tickets', {
    token: user.token,
    json: { audience: 'notifications' },
  });
  expect(issued.status).toBe(201);
  const url = `${wsBase}?ticket=${issued.body.ticket}`;
  expect(await open(url, { origin: 'https://dashboard.cloud.localhost' })).toEqual({
    status: 101,
    hello: { userId: user.user_id, kind: 'session' },
  });
  expect((await open(url)).status).toBe(401);

  const forCompute = await call<{ ticket: string }>(env.auth.url, 'POST', '/api/tickets', {
    token: user.token,
    json: { audience: 'compute' },
  });
  expect((await open(`${wsBase}?ticket=${forCompute.body.ticket}`)).status).toBe(401);
  expect((await open(wsBase, { authorization: `Bearer ${user.token}` })).hello).toEqual({ userId: user.user_id, kind: 'session' });
  expect(env.auth.logs.join('\n')).not.toContain(issued.body.ticket);
});
