// End to end: the real auth service (PostgreSQL, Redis, NATS) and a second service that trusts it only through
// @edd/auth-client, as storage or compute do. Written by the auth-client author; it checks the lib's assumptions
// about this service (JWT claims, JWKS, GET /api/session, the token check, the revocation events).
import { Writable } from 'node:stream';
import { createAuthClient } from '@edd/auth-client';
import type { AuthClientOptions } from '@edd/auth-client';
import type { EventBus } from '@edd/events';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { serve } from '@edd/http';
import { createLogger } from '@edd/logger';
import { formatScope } from '@edd/scopes';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, SERVICE_KEY, startFresh, type LoginReply } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let authBus: EventBus;
let clientBus: EventBus;
let base: string;
let admin: LoginReply;
let alice: LoginReply;
let bob: LoginReply;
const downstreams: Array<{ close(): Promise<void> }> = [];

/** A downstream service on a real socket. Long cache TTLs: only the events can make refusals quick. */
async function startDownstream(options: Partial<AuthClientOptions> = {}) {
  const silent = createLogger({ service: 'downstream-test', stream: new Writable({ write: (_c, _e, done) => done() }) });
  const client = createAuthClient({
    authBaseUrl: base,
    serviceKey: SERVICE_KEY,
    bus: clientBus,
    logger: silent,
    tokenCacheTtlMs: 60_000,
    sessionCheckTtlMs: 60_000,
    ...options,
  });
  await client.ready();
  const filesScope = (req: express.Request) => formatScope('storage', String(req.params['owner']), 'files', String(req.params['ns']));
  const app = express();
  app.use(client.authenticate);
  app.get('/me', client.requireAuth, (req, res) => void res.json(req.principal));
  app.get('/session-only', client.requireSession, (_req, res) => void res.json({ ok: true }));
  app.get('/admin', client.requireAdmin, (_req, res) => void res.json({ ok: true }));
  app.get('/files/:owner/:ns', client.requireScope(filesScope, 'read'), (_req, res) => void res.json({ ok: true }));
  app.delete('/files/:owner/:ns', client.requireScope(filesScope, 'delete'), (_req, res) => void res.json({ ok: true }));
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger: silent, handleSignals: false, graceMs: 500 });
  const handle = {
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      await client.close();
    },
  };
  downstreams.push(handle);
  return handle;
}

let svc: Awaited<ReturnType<typeof startDownstream>>;

const get = async (url: string, token?: string, method = 'GET') =>
  (await fetch(url, { method, headers: token ? { authorization: `Bearer ${token}` } : {} })).status;
const refusedWithinASecond = (url: string, token: string) => waitFor(async () => (await get(url, token)) === 401, 1_000, 20);

beforeAll(async () => {
  authBus = await connectTestBus('auth-client-e2e-auth');
  clientBus = await connectTestBus('auth-client-e2e-downstream');
  env = await startFresh('authclient', { bus: authBus });
  base = env.auth.url;
  admin = await login(base, ADMIN.username, ADMIN.password);
  alice = await createUserAndLogin(base, admin.token, 'ac.alice');
  bob = await createUserAndLogin(base, admin.token, 'ac.bob');
  svc = await startDownstream();
});
afterAll(async () => {
  await Promise.all(downstreams.map((d) => d.close()));
  await env?.close();
  await clientBus?.close();
  await authBus?.close();
});

describe('sessions through @edd/auth-client', () => {
  it('verifies a real session JWT against the JWKS, from the header and from the login cookie', async () => {
    const me = await call(svc.url, 'GET', '/me', { token: alice.token });
    expect(me).toMatchObject({
      status: 200,
      body: { kind: 'session', userId: alice.user_id, username: 'ac.alice', isAdmin: false, sessionId: expect.any(String) },
    });
    const res = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ac.alice', password: 'user-password-1' }),
    });
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('token='))
      ?.split(';')[0];
    expect(cookie).toBeDefined();
    expect((await fetch(`${svc.url}/me`, { headers: { cookie: cookie ?? '' } })).status).toBe(200);
  });

  it('refuses a session within a second of logout', async () => {
    const session = await login(base, 'ac.alice', 'user-password-1');
    expect(await get(`${svc.url}/me`, session.token)).toBe(200);
    expect((await call(base, 'POST', '/api/logout', { token: session.token })).status).toBe(200);
    await refusedWithinASecond(`${svc.url}/me`, session.token);
  });

  it('refuses a session revoked before the service started (missed event): the liveness check', async () => {
    const session = await login(base, 'ac.alice', 'user-password-1');
    expect((await call(base, 'POST', '/api/logout', { token: session.token })).status).toBe(200);
    const late = await startDownstream({ bus: undefined });
    expect(await get(`${late.url}/me`, session.token)).toBe(401);
  });

  it('admins: /admin for their session only, and no implicit access to other users’ resources', async () => {
    expect(await get(`${svc.url}/admin`, admin.token)).toBe(200);
    expect(await get(`${svc.url}/admin`, alice.token)).toBe(403);
    expect(await get(`${svc.url}/files/${alice.user_id}/photos`, admin.token)).toBe(403);
    expect(await get(`${svc.url}/files/${alice.user_id}/photos`, alice.token)).toBe(200);
    expect(await get(`${svc.url}/files/${bob.user_id}/photos`, alice.token)).toBe(403);
  });
});

describe('API tokens through @edd/auth-client', () => {
  it('a storage.<uid>.files read token: read accepted, delete refused, another user refused; revoked -> refused within a second', async () => {
    const created = await call<{ id: string; token: string }>(base, 'POST', '/api/tokens', {
      token: alice.token,
      json: { name: 'reader', scopes: { [`storage.${alice.user_id}.files`]: ['read'] }, expires_in: '30d' },
    });
    expect(created.status).toBe(201);
    const { id, token } = created.body;
    const own = `${svc.url}/files/${alice.user_id}/photos`;
    expect(await get(own, token)).toBe(200);
    expect(await get(own, token, 'DELETE')).toBe(403);
    expect(await get(`${svc.url}/files/${bob.user_id}/photos`, token)).toBe(403);
    expect(await get(`${svc.url}/session-only`, token)).toBe(403);
    expect(await call(svc.url, 'GET', '/me', { token })).toMatchObject({
      body: { kind: 'api_token', userId: alice.user_id, tokenId: id, isAdmin: false },
    });

    expect((await call(base, 'DELETE', `/api/tokens/${id}`, { token: alice.token })).status).toBe(200);
    await refusedWithinASecond(own, token);
  });

  it('service-account tokens follow scope changes and the account’s deletion within a second', async () => {
    const account = await call<{ id: string }>(base, 'POST', '/api/service-accounts', {
      token: alice.token,
      json: { name: 'ci', scopes: { [`storage.${alice.user_id}.files`]: ['read'] } },
    });
    expect(account.status).toBe(201);
    const minted = await call<{ token: string }>(base, 'POST', `/api/service-accounts/${account.body.id}/tokens`, {
      token: alice.token,
      json: { name: 'ci-token', expires_in: '30d' },
    });
    expect(minted.status).toBe(201);
    const { token } = minted.body;
    const own = `${svc.url}/files/${alice.user_id}/builds`;
    expect(await call(svc.url, 'GET', '/me', { token })).toMatchObject({
      body: { kind: 'service_account', serviceAccountId: account.body.id },
    });
    expect(await get(own, token, 'DELETE')).toBe(403);

    const updated = await call(base, 'PUT', `/api/service-accounts/${account.body.id}/scopes`, {
      token: alice.token,
      json: { scopes: { [`storage.${alice.user_id}.files`]: ['read', 'delete'] } },
    });
    expect(updated.status).toBe(200);
    await waitFor(async () => (await get(own, token, 'DELETE')) === 200, 1_000, 20);

    expect((await call(base, 'DELETE', `/api/service-accounts/${account.body.id}`, { token: alice.token })).status).toBe(200);
    await refusedWithinASecond(own, token);
  });

  it('a deleted user’s session and token are refused within a second', async () => {
    const carol = await createUserAndLogin(base, admin.token, 'ac.carol');
    const created = await call<{ token: string }>(base, 'POST', '/api/tokens', {
      token: carol.token,
      json: { name: 'x', scopes: { [`storage.${carol.user_id}`]: ['read'] }, expires_in: '30d' },
    });
    const own = `${svc.url}/files/${carol.user_id}/a`;
    expect(await get(own, carol.token)).toBe(200);
    expect(await get(own, created.body.token)).toBe(200);
    expect((await call(base, 'DELETE', `/api/admin/users/${carol.user_id}`, { token: admin.token })).status).toBe(200);
    await refusedWithinASecond(own, carol.token);
    await refusedWithinASecond(own, created.body.token);
  });
});
