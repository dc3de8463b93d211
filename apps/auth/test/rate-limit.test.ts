import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, startAuth, type AuthInstance } from './harness';

let testDb: TestDatabase;
let a: AuthInstance;
let b: AuthInstance;

// Two replicas on one database and one Redis prefix: the limits must hold across both.
beforeAll(async () => {
  testDb = await createTestDatabase('auth_ratelimit');
  const redisPrefix = `test:auth:ratelimit:${randomBytes(6).toString('hex')}:`;
  const env = {
    LOGIN_MAX_FAILURES_PER_USER: '3',
    LOGIN_MAX_ATTEMPTS_PER_IP: '5',
    LOGIN_IP_WINDOW: '5m',
    LOGIN_USER_WINDOW: '15m',
    LOGIN_USER_SLOWDOWN_AFTER: '4',
    LOGIN_USER_SLOWDOWN_MS: '50',
  };
  a = await startAuth({ testDb, redisPrefix, env });
  b = await startAuth({ testDb, redisPrefix, env });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await testDb?.drop();
});

const attempt = (instance: AuthInstance, username: string, password: string, ip: string) =>
  call(instance.url, 'POST', '/api/login', { json: { username, password }, headers: { 'x-forwarded-for': ip } });

describe('login rate limits shared through Redis', () => {
  it('stops one address after its failures on a username, whichever replica saw them', async () => {
    const admin = await login(a.url, ADMIN.username, ADMIN.password, { 'x-forwarded-for': '192.0.2.1' });
    await createUserAndLogin(a.url, admin.token, 'limited.user', 'right-password');
    expect((await attempt(a, 'limited.user', 'wrong-1', '192.0.2.10')).status).toBe(401);
    expect((await attempt(b, 'limited.user', 'wrong-2', '192.0.2.10')).status).toBe(401);
    expect((await attempt(a, 'limited.user', 'wrong-3', '192.0.2.10')).status).toBe(401);
    const locked = await attempt(b, 'limited.user', 'right-password', '192.0.2.10');
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({ error: 'too many requests', code: 'rate_limited' });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // The same username from another address, and other users, are unaffected.
    expect((await attempt(a, 'limited.user', 'right-password', '192.0.2.11')).status).toBe(200);
    expect((await attempt(b, 'admin', ADMIN.password, '192.0.2.14')).status).toBe(200);
    const { rows } = await a.db.query<{ count: string }>(`SELECT count(*) FROM audit_log WHERE action = 'login' AND outcome = 'denied'`);
    expect(Number(rows[0]?.count)).toBe(1); // exactly the one refused attempt: failures are not "denied"
  });

  it('wrong passwords from many addresses do not lock the owner out (the attack: lock anyone, admins included)', async () => {
    // Past both the per-address limit and the username's slowdown threshold, spread over addresses.
    for (let i = 0; i < 12; i += 1) {
      const status = (await attempt(i % 2 ? a : b, 'admin', `guess-${i}`, `203.0.113.${100 + (i % 4)}`)).status;
      expect([401, 429]).toContain(status);
    }
    expect((await attempt(a, 'admin', 'guess-again', '203.0.113.100')).status).toBe(429);
    // The owner, from an address of their own, signs in (after the slowdown's delay).
    const owner = await attempt(b, 'admin', ADMIN.password, '198.51.100.200');
    expect(owner.status).toBe(200);
  });

  it('limits attempts per client IP across replicas; a spoofed X-Forwarded-For entry does not help', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 5; i += 1) {
      const res = await attempt(i % 2 ? a : b, `nobody${i}`, 'whatever-1', ip);
      expect(res.status).toBe(401);
    }
    const blocked = await attempt(a, 'admin', ADMIN.password, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // A forged left-most entry is ignored: the right-most untrusted hop (what the gateway appended) counts.
    const spoofed = await attempt(b, 'admin', ADMIN.password, `203.0.113.99, ${ip}`);
    expect(spoofed.status).toBe(429);
    expect((await attempt(b, 'admin', ADMIN.password, '198.51.100.8')).status).toBe(200);
  });
});
