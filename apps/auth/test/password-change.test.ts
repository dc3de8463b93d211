import type { EventBus } from '@edd/events';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, recordAuthEvents, startFresh } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let bus: EventBus;
let base: string;

beforeAll(async () => {
  bus = await connectTestBus('auth-password-test');
  env = await startFresh('password', { bus });
  base = env.auth.url;
});
afterAll(async () => {
  await env?.close();
  await bus?.close();
});

describe('password change', () => {
  it('needs the current password and ends every other session of the user', async () => {
    const recorder = await recordAuthEvents(bus);
    const admin = await login(base, ADMIN.username, ADMIN.password);
    const laptop = await createUserAndLogin(base, admin.token, 'pw.user', 'old-password-1');
    const phone = await login(base, 'pw.user', 'old-password-1');

    const wrong = await call(base, 'PUT', '/api/settings/password', {
      token: laptop.token,
      json: { current_password: 'nope-nope', new_password: 'new-password-1' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body['code']).toBe('wrong_password');
    const weak = await call(base, 'PUT', '/api/settings/password', {
      token: laptop.token,
      json: { current_password: 'old-password-1', new_password: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ code: 'weak_password', details: [{ path: 'new_password' }] });
    expect((await call(base, 'GET', '/api/session', { token: phone.token })).status).toBe(200);

    const changed = await call(base, 'PUT', '/api/settings/password', {
      token: laptop.token,
      json: { current_password: 'old-password-1', new_password: 'new-password-1' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ status: 'ok', sessions_ended: 1 });
    expect((await call(base, 'GET', '/api/session', { token: phone.token })).status).toBe(401);
    expect((await call(base, 'GET', '/api/session', { token: laptop.token })).status).toBe(200);
    expect((await call(base, 'GET', '/api/session', { token: admin.token })).status).toBe(200);

    expect((await call(base, 'POST', '/api/login', { json: { username: 'pw.user', password: 'old-password-1' } })).status).toBe(401);
    expect((await login(base, 'pw.user', 'new-password-1')).user_id).toBe(laptop.user_id);

    // Left: the laptop's session and the login just made with the new password.
    expect((await call<unknown[]>(base, 'GET', '/api/sessions', { token: laptop.token })).body).toHaveLength(2);
    await waitFor(() => recorder.events.some((e) => e.type === 'auth.session.invalidated' && e.data['userId'] === laptop.user_id), 5_000);
    const event = recorder.events.find((e) => e.type === 'auth.session.invalidated' && e.data['userId'] === laptop.user_id);
    expect(event?.data['reason']).toBe('password_change');
    await recorder.stop();

    const { rows } = await env.auth.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE username = 'pw.user'`);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });
});
