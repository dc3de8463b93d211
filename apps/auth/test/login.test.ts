import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, startFresh } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let base: string;

beforeAll(async () => {
  env = await startFresh('login');
  base = env.auth.url;
});
afterAll(async () => {
  await env?.close();
});

describe('login, session, logout', () => {
  it('creates the default admin at first start and logs the login hint', async () => {
    const res = await login(base, ADMIN.username, ADMIN.password);
    expect(res).toMatchObject({ username: 'admin', display_name: 'admin', is_admin: true });
    expect(res.user_id).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(res.token.split('.')).toHaveLength(3);
    expect(env.auth.logs.some((line) => line.includes('created the default admin user'))).toBe(true);
    // The configured (non-default) password is never printed.
    expect(env.auth.logs.some((line) => line.includes(ADMIN.password))).toBe(false);
  });

  it('answers GET /api/session for a bearer token and for the cookie', async () => {
    const { token, user_id } = await login(base, ADMIN.username, ADMIN.password);
    const bearer = await call(base, 'GET', '/api/session', { token });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ user_id, username: 'admin', is_admin: true });
    expect(typeof bearer.body['session_id']).toBe('string');
    const cookie = await call(base, 'GET', '/api/session', { headers: { cookie: `other=1; token=${token}` } });
    expect(cookie.status).toBe(200);
    expect(cookie.body['user_id']).toBe(user_id);
  });

  it('refuses a wrong password, an unknown user and a missing session with the same 401', async () => {
    const wrong = await call(base, 'POST', '/api/login', { json: { username: 'admin', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: 'invalid username or password', code: 'invalid_login' });
    const unknown = await call(base, 'POST', '/api/login', { json: { username: 'nobody', password: 'whatever-123' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect((await call(base, 'GET', '/api/session')).status).toBe(401);
    expect((await call(base, 'GET', '/api/session', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it('logout revokes the session server-side and clears the cookie', async () => {
    const { token } = await login(base, ADMIN.username, ADMIN.password);
    const out = await call(base, 'POST', '/api/logout', { token });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ status: 'ok' });
    expect(out.headers.get('set-cookie')).toMatch(/^token=;.*Expires=Thu, 01 Jan 1970/);
    // The JWT is still cryptographically valid, but its session row is revoked.
    expect((await call(base, 'GET', '/api/session', { token })).status).toBe(401);
    // Logging out without a session is fine too.
    expect((await call(base, 'POST', '/api/logout')).status).toBe(200);
  });

  it('lists own sessions and ends one of them', async () => {
    const user = await createUserAndLogin(base, (await login(base, ADMIN.username, ADMIN.password)).token, 'sessions.user');
    const second = await login(base, 'sessions.user', 'user-password-1');
    const list = await call<Array<Record<string, unknown>>>(base, 'GET', '/api/sessions', { token: user.token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(list.body.filter((s) => s['current'])).toHaveLength(1);
    expect(Object.keys(list.body[0] ?? {}).sort()).toEqual([
      'created_at',
      'current',
      'expires_at',
      'id',
      'ip',
      'last_seen_at',
      'user_agent',
    ]);

    const other = list.body.find((s) => !s['current']);
    const del = await call(base, 'DELETE', `/api/sessions/${String(other?.['id'])}`, { token: user.token });
    expect(del.status).toBe(200);
    expect((await call(base, 'GET', '/api/session', { token: second.token })).status).toBe(401);
    expect((await call(base, 'GET', '/api/session', { token: user.token })).status).toBe(200);

    // Someone else's session id is "not found", never ended.
    const admin = await login(base, ADMIN.username, ADMIN.password);
    const adminSession = (await call(base, 'GET', '/api/session', { token: admin.token })).body['session_id'];
    expect((await call(base, 'DELETE', `/api/sessions/${String(adminSession)}`, { token: user.token })).status).toBe(404);
    expect((await call(base, 'GET', '/api/session', { token: admin.token })).status).toBe(200);
  });

  it('updates the display name', async () => {
    const { token, user_id } = await login(base, ADMIN.username, ADMIN.password);
    const res = await call(base, 'PUT', '/api/settings/profile', { token, json: { display_name: 'The Admin' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id, username: 'admin', display_name: 'The Admin' });
    expect((await call(base, 'PUT', '/api/settings/profile', { token, json: { display_name: 'x'.repeat(65) } })).status).toBe(400);
  });
});

describe('session cookie attributes', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, host-only on a direct call and not Secure over plain HTTP', async () => {
    const res = await call(base, 'POST', '/api/login', { json: ADMIN });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^token=ey/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Max-Age=604800/);
    expect(cookie).not.toContain('Domain=');
    expect(cookie).not.toContain('Secure');
    // Responses carrying credentials or identity are never cached, by the gateway or anyone else.
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await call(base, 'GET', '/.well-known/jwks.json')).headers.get('cache-control')).toMatch(/^public/);
  });

  it('gets Domain=<EDD_DOMAIN> and Secure when the gateway forwards an HTTPS request for auth.<domain>', async () => {
    const res = await call(base, 'POST', '/api/login', {
      json: ADMIN,
      headers: { 'x-forwarded-host': 'auth.cloud.localhost:18443', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('Domain=cloud.localhost');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    const out = await call(base, 'POST', '/api/logout', {
      headers: { 'x-forwarded-host': 'auth.cloud.localhost', 'x-forwarded-proto': 'https' },
    });
    expect(out.headers.get('set-cookie')).toContain('Domain=cloud.localhost');
  });
});

describe('hostile input', () => {
  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await call(base, 'POST', '/api/login', {
      raw: '{"username": "admin", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'malformed JSON body', code: 'invalid_request' });
    const big = await call(base, 'POST', '/api/login', { json: { username: 'admin', password: 'x'.repeat(70 * 1024) } });
    expect(big.status).toBe(413);
    expect(typeof big.body['error']).toBe('string');
    const wrongShape = await call(base, 'POST', '/api/login', { json: { username: ['admin'], password: 1 } });
    expect(wrongShape.status).toBe(400);
  });

  it('refuses quote-shaped usernames and ids before any query (their formats have no quotes)', async () => {
    const countUsers = async () => Number((await env.auth.db.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n);
    const usersBefore = await countUsers();
    for (const username of ["' OR 1=1 --", "admin' --", 'admin"; DROP TABLE users; --']) {
      const res = await call(base, 'POST', '/api/login', { json: { username, password: "' OR '1'='1" } });
      expect(res.status).toBe(401);
    }
    const res = await call(base, 'POST', '/api/login', { json: { username: 'admin', password: "' OR '1'='1" } });
    expect(res.status).toBe(401);
    const { token } = await login(base, ADMIN.username, ADMIN.password);
    const created = await call(base, 'POST', '/api/admin/users', { token, json: { username: "' OR 1=1 --", password: 'password-123' } });
    expect(created.status).toBe(400);
    const probe = await call(base, 'DELETE', `/api/sessions/${encodeURIComponent("x' OR '1'='1")}`, { token });
    expect(probe.status).toBe(404);
    expect(await countUsers()).toBe(usersBefore);
  });

  it('stores SQL-shaped text that validation lets through (display names, token names) as plain data', async () => {
    // These fields allow quotes, so this input does reach INSERT and UPDATE statements: it must be stored
    // byte for byte, and nothing else in the database may change.
    const snapshot = async () =>
      (
        await env.auth.db.query<{ users: string; admins: string }>(
          'SELECT count(*) AS users, count(*) FILTER (WHERE is_admin) AS admins FROM users',
        )
      ).rows[0];
    const before = await snapshot();
    const { token: adminToken } = await login(base, ADMIN.username, ADMIN.password);
    const createdName = "x'); DROP TABLE users; --";
    const created = await call(base, 'POST', '/api/admin/users', {
      token: adminToken,
      json: { username: 'sql.shaped', password: 'password-123', display_name: createdName },
    });
    expect(created.status).toBe(201);
    const user = await login(base, 'sql.shaped', 'password-123');
    expect(user.display_name).toBe(createdName);

    const renamed = "' OR '1'='1'; UPDATE users SET is_admin = true; --";
    const profile = await call(base, 'PUT', '/api/settings/profile', { token: user.token, json: { display_name: renamed } });
    expect(profile.status).toBe(200);
    const tokenName = "ci'); DELETE FROM api_tokens; --";
    const apiToken = await call<{ id: string }>(base, 'POST', '/api/tokens', {
      token: user.token,
      json: { name: tokenName, scopes: { [`storage.${user.user_id}`]: ['read'] }, expires_in: '30d' },
    });
    expect(apiToken.status).toBe(201);

    const stored = await env.auth.db.query<{ display_name: string; is_admin: boolean; token_name: string }>(
      `SELECT u.display_name, u.is_admin, t.name AS token_name FROM users u JOIN api_tokens t ON t.owner_id = u.id WHERE t.id = $1`,
      [apiToken.body.id],
    );
    expect(stored.rows).toEqual([{ display_name: renamed, is_admin: false, token_name: tokenName }]);
    expect(await snapshot()).toEqual({ users: String(Number(before?.users) + 1), admins: before?.admins });
  });

  it('rejects overlong or badly formed new usernames, names and passwords', async () => {
    const { token } = await login(base, ADMIN.username, ADMIN.password);
    const cases = [
      { username: 'ab', password: 'password-123' },
      { username: 'a'.repeat(33), password: 'password-123' },
      { username: 'has space', password: 'password-123' },
      { username: 'valid.name', password: 'short' },
      { username: 'valid.name', password: 'é'.repeat(200) },
      { username: 'valid.name', password: 'password-123', display_name: 'd'.repeat(65) },
      { username: 'valid.name', password: 'password-123', display_name: 'evil\u001b[31mred' },
    ];
    for (const body of cases) expect((await call(base, 'POST', '/api/admin/users', { token, json: body })).status).toBe(400);
  });
});
