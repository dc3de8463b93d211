import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { rotateSigningKey } from '../src/keys/signing-key-ring';
import { ADMIN, call, login, startAuth } from './harness';

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

async function freshDb(): Promise<TestDatabase> {
  const db = await createTestDatabase('auth_keys');
  databases.push(db);
  return db;
}
const prefix = () => `test:auth:keys:${randomBytes(6).toString('hex')}:`;

async function jwks(base: string): Promise<{ keys: JWK[] }> {
  return (await call<{ keys: JWK[] }>(base, 'GET', '/.well-known/jwks.json')).body;
}

const verifyWith = (set: { keys: JWK[] }, token: string) =>
  jwtVerify(token, createLocalJWKSet(set as Parameters<typeof createLocalJWKSet>[0]), {
    issuer: 'edd-cloud-auth',
    audience: 'edd-cloud',
    algorithms: ['EdDSA'],
  });

describe('session JWT signing keys', () => {
  it('publishes only public Ed25519 keys and signs tokens with the contract claims', async () => {
    const testDb = await freshDb();
    const auth = await startAuth({ testDb, redisPrefix: prefix() });
    try {
      const set = await jwks(auth.url);
      expect(set.keys).toHaveLength(1);
      expect(set.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
      expect(set.keys[0]).not.toHaveProperty('d');
      const { token, user_id } = await login(auth.url, ADMIN.username, ADMIN.password);
      const { payload, protectedHeader } = await verifyWith(set, token);
      expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: set.keys[0]?.kid });
      expect(payload).toMatchObject({
        sub: user_id,
        username: 'admin',
        display_name: 'admin',
        is_admin: true,
        iss: 'edd-cloud-auth',
        aud: 'edd-cloud',
      });
      expect(typeof payload['sid']).toBe('string');
      // exp is the session row's expiry rounded down to the second: 7 days after iat, give or take that second.
      expect(Math.abs((payload.exp ?? 0) - (payload.iat ?? 0) - 7 * 24 * 3600)).toBeLessThanOrEqual(1);
    } finally {
      await auth.close();
    }
  });

  it('keeps the key across a restart: a new instance accepts and its JWKS verifies an old token', async () => {
    const testDb = await freshDb();
    const redisPrefix = prefix();
    const first = await startAuth({ testDb, redisPrefix });
    const { token } = await login(first.url, ADMIN.username, ADMIN.password);
    await first.close();

    const second = await startAuth({ testDb, redisPrefix });
    try {
      await expect(verifyWith(await jwks(second.url), token)).resolves.toBeDefined();
      expect((await call(second.url, 'GET', '/api/session', { token })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('rotation keeps the previous key published until its tokens expire', async () => {
    const testDb = await freshDb();
    const redisPrefix = prefix();
    const first = await startAuth({ testDb, redisPrefix });
    const old = await login(first.url, ADMIN.username, ADMIN.password);
    const oldKid = decodeProtectedHeader(old.token).kid;
    const newKid = await rotateSigningKey(first.db, { sessionTtlMs: 7 * 86_400_000, encryptionSecret: undefined });
    await first.close();

    const second = await startAuth({ testDb, redisPrefix });
    try {
      const set = await jwks(second.url);
      expect(set.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
      await expect(verifyWith(set, old.token)).resolves.toBeDefined();
      expect((await call(second.url, 'GET', '/api/session', { token: old.token })).status).toBe(200);
      const fresh = await login(second.url, ADMIN.username, ADMIN.password);
      expect(decodeProtectedHeader(fresh.token).kid).toBe(newKid);
      // Once past its publication window the retired key disappears.
      await second.db.query(`UPDATE signing_keys SET expires_after = now() - interval '1 second' WHERE kid = $1`, [oldKid]);
      const second2 = await startAuth({ testDb, redisPrefix });
      try {
        expect((await jwks(second2.url)).keys.map((k) => k.kid)).toEqual([newKid]);
        expect((await call(second2.url, 'GET', '/api/session', { token: old.token })).status).toBe(401);
      } finally {
        await second2.close();
      }
    } finally {
      await second.close();
    }
  });

  it('encrypts the private key at rest with AUTH_KEY_ENCRYPTION_SECRET and refuses a wrong secret', async () => {
    const testDb = await freshDb();
    const redisPrefix = prefix();
    const secret = 'a-long-key-encryption-secret';
    const first = await startAuth({ testDb, redisPrefix, env: { AUTH_KEY_ENCRYPTION_SECRET: secret } });
    const { token } = await login(first.url, ADMIN.username, ADMIN.password);
    const { rows } = await first.db.query<{ private_jwk: Record<string, unknown> }>('SELECT private_jwk FROM signing_keys');
    expect(rows[0]?.private_jwk['format']).toBe('aes-256-gcm');
    expect(rows[0]?.private_jwk).not.toHaveProperty('jwk');
    await first.close();

    await expect(startAuth({ testDb, redisPrefix, env: { AUTH_KEY_ENCRYPTION_SECRET: 'another-secret-of-length' } })).rejects.toThrow(
      /AUTH_KEY_ENCRYPTION_SECRET/,
    );
    const again = await startAuth({ testDb, redisPrefix, env: { AUTH_KEY_ENCRYPTION_SECRET: secret } });
    try {
      expect((await call(again.url, 'GET', '/api/session', { token })).status).toBe(200);
    } finally {
      await again.close();
    }
  });
});
