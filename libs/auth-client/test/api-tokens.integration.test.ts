// API tokens against a real (stand-in) auth service over real sockets: the internal check, caching, revocation.
import { describe, expect, it } from 'vitest';
import { MemoryBus } from './support/memory-bus';
import { call } from './support/protected-service';
import { alice, useTestEnv } from './support/test-env';

const env = useTestEnv();
const service = env.service;

describe('API tokens', () => {
  it('a storage.<uid>.files read token reads and cannot delete; never reaches another user', async () => {
    const svc = await service();
    const { token, id } = env.auth.createToken(alice, { [`storage.${alice.userId}.files`]: ['read'] });
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({
      status: 200,
      body: {
        kind: 'api_token',
        userId: alice.userId,
        username: 'alice',
        isAdmin: false,
        tokenId: id,
        scopes: { [`storage.${alice.userId}.files`]: ['read'] },
      },
    });
    expect((await call(`${svc.url}/files/${alice.userId}/photos`, { bearer: token })).status).toBe(200);
    expect((await call(`${svc.url}/files/${alice.userId}/photos`, { method: 'DELETE', bearer: token })).status).toBe(403);
    expect((await call(`${svc.url}/files/uBob0000001/photos`, { bearer: token })).status).toBe(403);
  });

  it('caches a check for the TTL; a revocation event refuses the token at once', async () => {
    const bus = new MemoryBus();
    const svc = await service({ bus, tokenCacheTtlMs: 60_000 });
    const { token, id } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    const before = env.auth.calls.check;
    for (let i = 0; i < 3; i += 1) expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    expect(env.auth.calls.check - before).toBe(1);
    env.auth.revokeToken(id);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200); // cached, no event yet
    bus.emit('auth.token.revoked', { tokenId: id, userId: alice.userId });
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 401, body: { error: 'API token revoked' } });
  });

  it('shares one check between concurrent requests with the same token', async () => {
    const svc = await service();
    const { token } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    const before = env.auth.calls.check;
    env.auth.delayMs = 200; // all eight arrive while the first check is still in flight
    const statuses = await Promise.all(Array.from({ length: 8 }, () => call(`${svc.url}/me`, { bearer: token }).then((r) => r.status)));
    expect(statuses).toEqual(Array(8).fill(200));
    expect(env.auth.calls.check - before).toBe(1);
  });

  it('without events, a revoked token is refused once its cache entry expires', async () => {
    const svc = await service({ tokenCacheTtlMs: 200 });
    const { token, id } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(200);
    env.auth.revokeToken(id);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({ status: 401, body: { error: 'invalid or revoked API token' } });
  });

  it('service-account tokens carry the account and pick up scope changes on auth.identity.updated', async () => {
    const bus = new MemoryBus();
    const svc = await service({ bus, tokenCacheTtlMs: 60_000 });
    const { token } = env.auth.createToken(alice, { [`storage.${alice.userId}.files`]: ['read'] }, { serviceAccountId: 'saCi0000001' });
    expect(await call(`${svc.url}/me`, { bearer: token })).toMatchObject({
      status: 200,
      body: { kind: 'service_account', serviceAccountId: 'saCi0000001' },
    });
    expect((await call(`${svc.url}/files/${alice.userId}/x`, { method: 'DELETE', bearer: token })).status).toBe(403);
    env.auth.setServiceAccountScopes('saCi0000001', { [`storage.${alice.userId}.files`]: ['read', 'delete'] });
    bus.emit('auth.identity.updated', { serviceAccountId: 'saCi0000001', ownerId: alice.userId, name: 'ci', scopes: {} });
    expect((await call(`${svc.url}/files/${alice.userId}/x`, { method: 'DELETE', bearer: token })).status).toBe(200);
  });

  it('refuses a well-formed token with a wrong secret, and an expired one', async () => {
    const svc = await service();
    const { id } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    expect((await call(`${svc.url}/me`, { bearer: `ecloud_${id}_${'A'.repeat(43)}` })).status).toBe(401);
    const expired = env.auth.createToken(
      alice,
      { [`storage.${alice.userId}`]: ['read'] },
      { expiresAt: Math.floor(Date.now() / 1000) - 10 },
    );
    expect((await call(`${svc.url}/me`, { bearer: expired.token })).status).toBe(401);
  });

  it('answers 503 when the service key is refused, and when the auth service is slow', async () => {
    const wrongKey = await service({ serviceKey: 'not-the-key' });
    const { token } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    expect(await call(`${wrongKey.url}/me`, { bearer: token })).toMatchObject({
      status: 503,
      body: { error: 'authentication service unavailable' },
    });
    const slow = await service({ timeoutMs: 300 });
    env.auth.delayMs = 1_000;
    expect((await call(`${slow.url}/me`, { bearer: token })).status).toBe(503);
  });

  it('answers 503 when the auth service is down (sessions and tokens)', async () => {
    const svc = await service({ authBaseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
    const { token } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    const session = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(503);
    expect((await call(`${svc.url}/me`, { bearer: session.token })).status).toBe(503);
  });
});
