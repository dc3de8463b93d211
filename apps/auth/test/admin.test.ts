import type { EventBus } from '@edd/events';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, recordAuthEvents, SERVICE_KEY, startFresh, type LoginReply } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let bus: EventBus;
let base: string;
let admin: LoginReply;

const ADMIN_ENDPOINTS = [
  ['GET', '/api/admin/users'],
  ['POST', '/api/admin/users'],
  ['DELETE', '/api/admin/users/AAAAAAAAAAAA'],
  ['GET', '/api/admin/sessions'],
] as const;

beforeAll(async () => {
  bus = await connectTestBus('auth-admin-test');
  env = await startFresh('admin', { bus });
  base = env.auth.url;
  admin = await login(base, ADMIN.username, ADMIN.password);
});
afterAll(async () => {
  await env?.close();
  await bus?.close();
});

describe('admin endpoints', () => {
  it('are refused to anonymous callers (401), regular users and API tokens (403)', async () => {
    const user = await createUserAndLogin(base, admin.token, 'plain.user');
    const adminToken = await call<{ token: string }>(base, 'POST', '/api/tokens', {
      token: admin.token,
      json: { name: 'admin-token', scopes: { [`storage.${admin.user_id}`]: ['read'] } },
    });
    for (const [method, path] of ADMIN_ENDPOINTS) {
      const body = method === 'POST' ? { username: 'intruder', password: 'password-123' } : undefined;
      expect((await call(base, method, path, { json: body })).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(base, method, path, { json: body, token: user.token })).status, `${method} ${path} user`).toBe(403);
      expect((await call(base, method, path, { json: body, token: adminToken.body.token })).status, `${method} ${path} token`).toBe(403);
    }
    const users = await call<Array<{ username: string }>>(base, 'GET', '/api/admin/users', { token: admin.token });
    expect(users.body.map((u) => u.username)).not.toContain('intruder');
  });

  it('creates users (409 on a taken name, case-insensitively) and admins by flag', async () => {
    const created = await call(base, 'POST', '/api/admin/users', {
      token: admin.token,
      json: { username: 'Second.Admin', password: 'password-123', display_name: 'Second', is_admin: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'second.admin', display_name: 'Second', is_admin: true });
    const dup = await call(base, 'POST', '/api/admin/users', {
      token: admin.token,
      json: { username: 'SECOND.admin', password: 'password-123' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ error: 'username already taken', code: 'username_taken' });
    const second = await login(base, 'second.admin', 'password-123');
    expect(second.is_admin).toBe(true);
    expect((await call(base, 'GET', '/api/admin/sessions', { token: second.token })).status).toBe(200);
  });

  it('deletes a user: their sessions and tokens die, events go out; self-deletion is refused', async () => {
    const recorder = await recordAuthEvents(bus);
    const victim = await createUserAndLogin(base, admin.token, 'leaving.user');
    const token = await call<{ id: string; token: string }>(base, 'POST', '/api/tokens', {
      token: victim.token,
      json: { name: 't', scopes: { [`storage.${victim.user_id}`]: ['read'] } },
    });
    const sessions = await call<Array<{ user_id: string; username: string }>>(base, 'GET', '/api/admin/sessions', { token: admin.token });
    expect(sessions.body.some((s) => s.user_id === victim.user_id && s.username === 'leaving.user')).toBe(true);

    expect((await call(base, 'DELETE', `/api/admin/users/${admin.user_id}`, { token: admin.token })).body).toEqual({
      error: 'you cannot delete your own account',
      code: 'conflict',
    });
    expect((await call(base, 'DELETE', '/api/admin/users/nosuchuser12', { token: admin.token })).status).toBe(404);
    const del = await call(base, 'DELETE', `/api/admin/users/${victim.user_id}`, { token: admin.token });
    expect(del.status).toBe(200);
    expect((await call(base, 'GET', '/api/session', { token: victim.token })).status).toBe(401);
    const check = await call(base, 'GET', `/internal/tokens/${token.body.id}/check`, {
      token: token.body.token,
      headers: { 'x-service-key': SERVICE_KEY },
    });
    expect(check.status).toBe(401);

    await waitFor(() => recorder.events.some((e) => e.subject === `auth.user.${victim.user_id}.deleted`), 5_000);
    const types = recorder.events.filter((e) => e.data['userId'] === victim.user_id).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'auth.user.created',
        'auth.session.created',
        'auth.session.invalidated',
        'auth.token.revoked',
        'auth.user.deleted',
      ]),
    );
    const invalidated = recorder.events.find((e) => e.type === 'auth.session.invalidated' && e.data['userId'] === victim.user_id);
    expect(invalidated?.data['reason']).toBe('user_deleted');
    await recorder.stop();

    const { rows } = await env.auth.db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE target = $1 ORDER BY id`,
      [victim.user_id],
    );
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['user.create', 'login', 'user.delete']));
  });

  it('internal user listing needs the service key', async () => {
    expect((await call(base, 'GET', '/internal/users')).status).toBe(401);
    expect((await call(base, 'GET', '/internal/users', { token: admin.token })).status).toBe(401);
    const res = await call<Array<Record<string, unknown>>>(base, 'GET', '/internal/users', { headers: { 'x-service-key': SERVICE_KEY } });
    expect(res.status).toBe(200);
    expect(res.body.find((u) => u['username'] === 'admin')).toMatchObject({ user_id: admin.user_id, is_admin: true });
    expect(JSON.stringify(res.body)).not.toContain('scrypt');
  });
});
