import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, SERVICE_KEY, startFresh, type LoginReply } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let base: string;
let user: LoginReply;
const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });

const issue = (token: string | undefined, body: unknown = {}, headers: Record<string, string> = {}) =>
  call<{ ticket: string; expires_at: string; error?: string }>(base, 'POST', '/api/tickets', { token, json: body, headers });
const redeem = (ticket: string, headers: Record<string, string> = { 'x-service-key': SERVICE_KEY }) =>
  call(base, 'POST', '/internal/tickets/redeem', { json: { ticket }, headers });

beforeAll(async () => {
  env = await startFresh('tickets');
  base = env.auth.url;
  const admin = await login(base, ADMIN.username, ADMIN.password);
  user = await createUserAndLogin(base, admin.token, 'ticket.user');
});
afterAll(async () => {
  await env?.close();
  redis.disconnect();
});

describe('tickets', () => {
  it('issues a 30 s single-use ticket to a session, stored only as a hash', async () => {
    const issued = await issue(user.token, { audience: 'notifications' });
    expect(issued.status).toBe(201);
    expect(issued.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = Date.parse(issued.body.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(30_000);

    const key = `${env.redisPrefix}ticket:${createHash('sha256').update(issued.body.ticket).digest('hex')}`;
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await redis.get(key)).not.toContain(issued.body.ticket);

    const first = await redeem(issued.body.ticket);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      valid: true,
      user_id: user.user_id,
      username: 'ticket.user',
      is_admin: false,
      kind: 'session',
      audience: 'notifications',
    });
    expect(typeof first.body['session_id']).toBe('string');
    // Single use.
    const again = await redeem(issued.body.ticket);
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ valid: false, error: 'invalid or expired ticket' });
  });

  it('issues to an API token with its scopes, and to the session cookie', async () => {
    const scopes = { [`storage.${user.user_id}.files`]: ['read'] };
    const created = await call<{ id: string; token: string }>(base, 'POST', '/api/tokens', {
      token: user.token,
      json: { name: 'live', scopes, expires_in: '30d' },
    });
    const issued = await issue(created.body.token);
    expect(issued.status).toBe(201);
    const grant = await redeem(issued.body.ticket);
    expect(grant.body).toMatchObject({ kind: 'api_token', token_id: created.body.id, user_id: user.user_id, scopes, is_admin: false });
    expect(grant.body).not.toHaveProperty('audience');

    const byCookie = await issue(undefined, {}, { cookie: `token=${user.token}` });
    expect(byCookie.status).toBe(201);
  });

  it('refuses the anonymous, bad credentials and bad audiences', async () => {
    expect((await issue(undefined)).status).toBe(401);
    expect((await issue('not-a-jwt')).status).toBe(401);
    expect((await issue('ecloud_AAAAAAAAAAAAAAAA_secretsecretsecretsecretsecretsecretsecret0')).status).toBe(401);
    const badAudience = await issue(user.token, { audience: 'Not A Service' });
    expect(badAudience.status).toBe(400);
  });

  it('redeems only with the service key and never through the gateway', async () => {
    const issued = await issue(user.token);
    expect((await redeem(issued.body.ticket, {})).status).toBe(401);
    expect((await redeem(issued.body.ticket, { 'x-service-key': 'wrong' })).status).toBe(401);
    const viaGateway = await redeem(issued.body.ticket, { 'x-service-key': SERVICE_KEY, 'x-forwarded-host': 'auth.cloud.localhost' });
    expect(viaGateway.status).toBe(403);
    // The refused attempts did not consume it.
    expect((await redeem(issued.body.ticket)).status).toBe(200);
    expect((await redeem('never-issued')).status).toBe(401);
  });

  it('never logs a ticket', async () => {
    const issued = await issue(user.token);
    await redeem(issued.body.ticket);
    expect(env.auth.logs.join('\n')).not.toContain(issued.body.ticket);
  });
});
