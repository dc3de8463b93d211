// authenticate + guards against a real (stand-in) auth service over real sockets: JWKS, EdDSA session JWTs.
import { generateKeyPair, SignJWT } from 'jose';
import type { JWTHeaderParameters } from 'jose';
import { describe, expect, it } from 'vitest';
import { MemoryBus } from './support/memory-bus';
import { call } from './support/protected-service';
import { alice, root, useTestEnv } from './support/test-env';

const env = useTestEnv();
const service = env.service;

/** A token with the right claims for alice, signed with a key and header of the test's choosing. */
function signOutsideAuth(header: JWTHeaderParameters, key: Parameters<SignJWT['sign']>[0]): Promise<string> {
  return new SignJWT({ sid: 's', username: 'alice' })
    .setProtectedHeader(header)
    .setSubject(alice.userId)
    .setIssuer('edd-cloud-auth')
    .setAudience('edd-cloud')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
}

describe('authenticate: no or bad credentials (deny first)', () => {
  it('leaves anonymous requests anonymous; guards answer 401 with WWW-Authenticate', async () => {
    const svc = await service();
    expect(await call(`${svc.url}/public`)).toMatchObject({ status: 200, body: { principal: null } });
    const refused = await call(`${svc.url}/me`);
    expect(refused).toMatchObject({ status: 401, body: { error: 'authentication required', code: 'unauthenticated' } });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="edd-cloud"');
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['three dots of nothing', 'a.b.c'],
    ['malformed API token', 'ecloud_short_x'],
  ])('refuses a presented %s bearer with 401 even on public routes', async (_d, bearer) => {
    const svc = await service();
    const res = await call(`${svc.url}/public`, { bearer });
    expect(res.status).toBe(401);
    expect(res.body['error']).toMatch(/invalid/);
    expect(res.body['code']).toBe('invalid_credential');
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const svc = await service();
    const res = await fetch(`${svc.url}/public`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Authorization header must be "Bearer <token>"', code: 'invalid_credential' });
  });

  it('refuses expired, wrongly issued, wrongly addressed and forged sessions', async () => {
    const svc = await service();
    const expired = await env.auth.issueSession(alice, { expiresInSeconds: -60 });
    expect(await call(`${svc.url}/me`, { bearer: expired.token })).toMatchObject({ status: 401, body: { error: 'session expired' } });
    for (const options of [{ issuer: 'someone-else' }, { audience: 'other-app' }, { key: 'foreign' as const }]) {
      const { token } = await env.auth.issueSession(alice, options);
      expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 401, body: { error: 'invalid session token' } });
    }
  });

  it('refuses an HS256 token (no algorithm confusion)', async () => {
    const svc = await service();
    const token = await signOutsideAuth({ alg: 'HS256' }, new TextEncoder().encode('x'.repeat(32)));
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(401);
  });

  it('refuses a token that names no key with 401, also while two keys are published (not a 503)', async () => {
    const svc = await service();
    await env.auth.rotateKey(); // the JWKS now holds at least two Ed25519 keys
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await signOutsideAuth({ alg: 'EdDSA' }, privateKey);
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 401, body: { error: 'invalid session token' } });
    expect(await call(`${svc.url}/me`, { bearer: 'not-a-jwt' })).toMatchObject({ status: 401 });
  });

  it('ignores a stale token cookie on public routes but still guards private ones', async () => {
    const svc = await service();
    expect(await call(`${svc.url}/public`, { cookie: 'token=stale.jwt.value' })).toMatchObject({ status: 200, body: { principal: null } });
    expect((await call(`${svc.url}/me`, { cookie: 'token=stale.jwt.value' })).status).toBe(401);
  });
});

describe('authenticate: sessions', () => {
  it('accepts a session from the header, the cookie and ?token=', async () => {
    const svc = await service();
    const { token, sessionId } = await env.auth.issueSession(alice);
    const expected = { kind: 'session', userId: alice.userId, username: 'alice', isAdmin: false, sessionId };
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 200, body: expected });
    expect(await call(`${svc.url}/me`, { cookie: `theme=dark; token=${token}` })).toMatchObject({ status: 200, body: expected });
    expect(await call(`${svc.url}/me?token=${encodeURIComponent(token)}`)).toMatchObject({ status: 200, body: expected });
  });

  it('verifies locally: JWKS fetched once, liveness asked once per TTL', async () => {
    const svc = await service();
    const before = { ...env.auth.calls };
    const { token } = await env.auth.issueSession(alice);
    for (let i = 0; i < 5; i += 1) expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    expect(env.auth.calls.jwks - before.jwks).toBe(1);
    expect(env.auth.calls.session - before.session).toBe(1);
  });

  it('with sessionCheckTtlMs 0 never asks the auth service about sessions', async () => {
    const svc = await service({ sessionCheckTtlMs: 0 });
    const before = env.auth.calls.session;
    const { token } = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    expect(env.auth.calls.session).toBe(before);
  });

  it('accepts tokens signed with a rotated-in key (refetch on unknown kid)', async () => {
    const svc = await service();
    const old = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/me`, { bearer: old.token })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the JWKS refetch cool-down
    await env.auth.rotateKey();
    const fresh = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/me`, { bearer: fresh.token })).status).toBe(200);
    expect((await call(`${svc.url}/me`, { bearer: old.token })).status).toBe(200);
  });

  it('refuses a session invalidated by event at once, before any TTL', async () => {
    const bus = new MemoryBus();
    const svc = await service({ bus, sessionCheckTtlMs: 60_000 });
    expect(bus.subscribers).toBe(1);
    const { token, sessionId } = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    env.auth.revokeSession(sessionId);
    bus.emit('auth.session.invalidated', { sessionId, userId: alice.userId, reason: 'logout' });
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 401, body: { error: 'session revoked' } });
  });

  it('refuses sessions of a deleted user at once', async () => {
    const bus = new MemoryBus();
    const svc = await service({ bus });
    const user = { userId: 'uDoomed0001', username: 'doomed' };
    const { token } = await env.auth.issueSession(user);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    bus.emit('auth.user.deleted', { userId: user.userId, username: user.username });
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(401);
  });

  it('refuses a session revoked while it was not subscribed (restart): the liveness check', async () => {
    const { token, sessionId } = await env.auth.issueSession(alice);
    env.auth.revokeSession(sessionId);
    const svc = await service();
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 401, body: { error: 'session revoked' } });
  });

  it('answers 503 (never hangs) when the auth service is too slow for the liveness check', async () => {
    const svc = await service({ timeoutMs: 300 });
    const { token } = await env.auth.issueSession(alice);
    env.auth.delayMs = 1_000;
    const res = await call(`${svc.url}/me`, { bearer: token });
    expect(res).toMatchObject({ status: 503, body: { error: 'authentication service unavailable', code: 'unavailable' } });
    expect(res.headers.get('retry-after')).toBe('1');
  });
});

describe('guards', () => {
  it('requireSession refuses API tokens with 403', async () => {
    const svc = await service();
    const { token } = env.auth.createToken(alice, { 'storage.uAlice00001': ['read'] });
    expect(await call(`${svc.url}/session-only`, { bearer: token })).toMatchObject({
      status: 403,
      body: { error: 'this endpoint requires a session', code: 'session_required' },
    });
    const session = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/session-only`, { bearer: session.token })).status).toBe(200);
    expect((await call(`${svc.url}/session-only`)).status).toBe(401);
  });

  it("requireAdmin accepts only an admin's session", async () => {
    const svc = await service();
    const adminSession = await env.auth.issueSession(root);
    const aliceSession = await env.auth.issueSession(alice);
    const adminToken = env.auth.createToken(root, { 'storage.uAdmin00001': ['read'] });
    expect((await call(`${svc.url}/admin`, { bearer: adminSession.token })).status).toBe(200);
    expect(await call(`${svc.url}/admin`, { bearer: aliceSession.token })).toMatchObject({
      status: 403,
      body: { error: 'admin access required', code: 'admin_required' },
    });
    expect((await call(`${svc.url}/admin`, { bearer: adminToken.token })).status).toBe(403);
  });

  it('requireScope: sessions own their resources, admins get no one else', async () => {
    const svc = await service();
    const aliceSession = await env.auth.issueSession(alice);
    const adminSession = await env.auth.issueSession(root);
    expect((await call(`${svc.url}/files/${alice.userId}/photos`, { method: 'DELETE', bearer: aliceSession.token })).status).toBe(200);
    expect((await call(`${svc.url}/files/uBob0000001/photos`, { bearer: aliceSession.token })).status).toBe(403);
    expect(await call(`${svc.url}/files/${alice.userId}/photos`, { bearer: adminSession.token })).toMatchObject({
      status: 403,
      body: { error: `missing permission: read on storage.${alice.userId}.files.photos`, code: 'scope_missing' },
    });
  });
});
