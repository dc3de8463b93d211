import type { EventBus } from '@edd/events';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, recordAuthEvents, SERVICE_KEY, startFresh, type LoginReply } from './harness';
import { startResourceService } from './resource-service';

let env: Awaited<ReturnType<typeof startFresh>>;
let bus: EventBus;
let base: string;
let user: LoginReply;
let other: LoginReply;

const check = (id: string, token: string, headers: Record<string, string> = { 'x-service-key': SERVICE_KEY }) =>
  call(base, 'GET', `/internal/tokens/${id}/check`, { token, headers });

async function createToken(owner: LoginReply, scopes: Record<string, string[]>, expires_in = '30d') {
  return call<Record<string, unknown> & { id: string; token: string }>(base, 'POST', '/api/tokens', {
    token: owner.token,
    json: { name: 'ci', scopes, expires_in },
  });
}

beforeAll(async () => {
  bus = await connectTestBus('auth-tokens-test');
  env = await startFresh('tokens', { bus });
  base = env.auth.url;
  const admin = await login(base, ADMIN.username, ADMIN.password);
  user = await createUserAndLogin(base, admin.token, 'token.owner');
  other = await createUserAndLogin(base, admin.token, 'token.other');
});
afterAll(async () => {
  await env?.close();
  await bus?.close();
});

describe('API tokens', () => {
  it('creates a token, shows the secret once, and lists it without the secret', async () => {
    const scopes = { [`storage.${user.user_id}.files`]: ['read'] };
    const created = await createToken(user, scopes);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci', scopes, last_used_at: null, service_account_id: null });
    expect(created.body.token).toMatch(new RegExp(`^ecloud_${created.body.id}_[A-Za-z0-9_-]{43}$`));
    const expiresAt = Date.parse(String(created.body['expires_at']));
    expect(expiresAt - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const list = await call<Array<Record<string, unknown>>>(base, 'GET', '/api/tokens', { token: user.token });
    const listed = list.body.find((t) => t['id'] === created.body.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('token');
    // Another user's list does not show it.
    const others = await call<unknown[]>(base, 'GET', '/api/tokens', { token: other.token });
    expect(others.body).toEqual([]);

    const never = await createToken(user, scopes, 'never');
    expect(never.body['expires_at']).toBeNull();
    // Only the hash is stored.
    const { rows } = await env.auth.db.query<{ secret_hash: Buffer }>('SELECT secret_hash FROM api_tokens WHERE id = $1', [
      created.body.id,
    ]);
    expect(rows[0]?.secret_hash.length).toBe(32);
    expect(JSON.stringify(rows)).not.toContain(created.body.token.split('_').pop());
  });

  it('validates scopes with @edd/scopes: own user id only, known roots, resources and actions', async () => {
    const bad = [
      { [`storage.${other.user_id}.files`]: ['read'] },
      { storage: ['read'] },
      { [`storage.${user.user_id}.photos`]: ['read'] },
      { [`storage.${user.user_id}.files`]: ['launch'] },
      { [`compute.${user.user_id}.keys`]: ['update'] },
      {},
    ];
    for (const scopes of bad) {
      const res = await createToken(user, scopes);
      expect(res.status, JSON.stringify(scopes)).toBe(400);
      expect(typeof res.body['error']).toBe('string');
      // An action outside create/read/update/delete fails the request's shape (the contract's schema); the rest are
      // scope rules, checked by @edd/scopes.
      expect(res.body['code'], JSON.stringify(scopes)).toBe(
        JSON.stringify(scopes).includes('launch') ? 'invalid_request' : 'invalid_scope',
      );
    }
    expect(
      (
        await call(base, 'POST', '/api/tokens', {
          token: user.token,
          json: { name: 'line\nbreak', scopes: { [`storage.${user.user_id}`]: ['read'] } },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(base, 'POST', '/api/tokens', {
          token: user.token,
          json: { name: 'x'.repeat(65), scopes: { [`storage.${user.user_id}`]: ['read'] } },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(base, 'POST', '/api/tokens', {
          token: user.token,
          json: { name: 'ok', scopes: { [`storage.${user.user_id}`]: ['read'] }, expires_in: '7d' },
        })
      ).status,
    ).toBe(400);
  });

  it('answers the internal check with the token identity and scopes, and records last use', async () => {
    const created = await createToken(user, { [`compute.${user.user_id}.containers`]: ['read', 'create'] });
    const res = await check(created.body.id, created.body.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      valid: true,
      token_id: created.body.id,
      user_id: user.user_id,
      username: 'token.owner',
      kind: 'user',
      scopes: { [`compute.${user.user_id}.containers`]: ['create', 'read'] },
    });
    const list = await call<Array<Record<string, unknown>>>(base, 'GET', '/api/tokens', { token: user.token });
    expect(list.body.find((t) => t['id'] === created.body.id)?.['last_used_at']).toEqual(expect.any(String));
  });

  it('refuses bad checks: no or wrong service key, via the gateway, wrong secret, id mismatch', async () => {
    const created = await createToken(user, { [`storage.${user.user_id}`]: ['read'] });
    const { id, token } = created.body;
    expect((await check(id, token, {})).body).toEqual({ error: 'invalid service key', code: 'invalid_service_key' });
    expect((await check(id, token, { 'x-service-key': 'wrong' })).status).toBe(401);
    const viaGateway = await check(id, token, { 'x-service-key': SERVICE_KEY, 'x-forwarded-host': 'auth.cloud.localhost' });
    expect(viaGateway.status).toBe(403);
    expect(viaGateway.body['code']).toBe('internal_only');
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await check(id, forged)).body).toEqual({ valid: false, error: 'invalid token', code: 'invalid_credential' });
    const another = await createToken(user, { [`storage.${user.user_id}`]: ['read'] });
    expect((await check(id, another.body.token)).status).toBe(401);
    expect((await check(id, 'garbage')).status).toBe(401);
  });

  it('never accepts an API token for identity management', async () => {
    const created = await createToken(user, { [`storage.${user.user_id}`]: ['read', 'create', 'delete'] });
    for (const [method, path] of [
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens'],
      ['GET', '/api/service-accounts'],
      ['GET', '/api/session'],
    ] as const) {
      const res = await call(base, method, path, {
        token: created.body.token,
        json: method === 'POST' ? { name: 'x', scopes: {} } : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('revokes: the check fails, a second delete and other users get 404, the event is published', async () => {
    const recorder = await recordAuthEvents(bus);
    const created = await createToken(user, { [`storage.${user.user_id}`]: ['read'] });
    expect((await call(base, 'DELETE', `/api/tokens/${created.body.id}`, { token: other.token })).status).toBe(404);
    const del = await call(base, 'DELETE', `/api/tokens/${created.body.id}`, { token: user.token });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ status: 'ok' });
    expect((await check(created.body.id, created.body.token)).body).toEqual({
      valid: false,
      error: 'token revoked',
      code: 'invalid_credential',
    });
    expect((await call(base, 'DELETE', `/api/tokens/${created.body.id}`, { token: user.token })).status).toBe(404);
    await waitFor(() => recorder.events.some((e) => e.subject === `auth.token.${created.body.id}.revoked`), 5_000);
    await recorder.stop();
  });

  it('a revoked token is refused by a second service (auth-client middleware) within a second', async () => {
    const clientBus = await connectTestBus('auth-tokens-resource');
    const resource = await startResourceService(base, clientBus);
    try {
      const created = await createToken(user, { [`storage.${user.user_id}.files`]: ['read'] });
      const headers = { authorization: `Bearer ${created.body.token}` };
      const own = `${resource.url}/files/${user.user_id}/photos`;
      expect((await fetch(own, { headers })).status).toBe(200);
      expect((await fetch(own, { method: 'DELETE', headers })).status).toBe(403);
      expect((await fetch(`${resource.url}/files/${other.user_id}/photos`, { headers })).status).toBe(403);

      // The answer is cached now (30 s): only the revocation event can make the next request fail.
      expect((await call(base, 'DELETE', `/api/tokens/${created.body.id}`, { token: user.token })).status).toBe(200);
      const revokedAt = Date.now();
      await waitFor(async () => (await fetch(own, { headers })).status === 401, 1_000, 20);
      expect(Date.now() - revokedAt).toBeLessThan(1_000);
    } finally {
      await resource.close();
      await clientBus.close();
    }
  });
});
