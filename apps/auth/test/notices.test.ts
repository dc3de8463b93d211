import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createUserAndLogin, login, startFresh } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let adminToken: string;
beforeAll(async () => {
  env = await startFresh('notices');
  adminToken = (await login(env.auth.url, ADMIN.username, ADMIN.password)).token;
});
afterAll(async () => env?.close());

/** The `notify` events auth wrote into its outbox for `userId`, oldest first. */
async function notices(userId: string): Promise<Array<Record<string, unknown>>> {
  const { rows } = await env.auth.db.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM event_outbox WHERE type = 'notify' AND data->>'userId' = $1 ORDER BY seq`,
    [userId],
  );
  return rows.map((r) => r.data);
}

describe('auth notifications (through the outbox)', () => {
  it('tells the owner when a service account is created', async () => {
    const user = await createUserAndLogin(env.auth.url, adminToken, 'sa-owner');
    const res = await call(env.auth.url, 'POST', '/api/service-accounts', {
      token: user.token,
      json: { name: 'ci-bot', scopes: { [`compute.${user.user_id}.containers`]: ['read'] } },
    });
    expect(res.status).toBe(201);
    expect(await notices(user.user_id)).toEqual([
      expect.objectContaining({ title: 'Service account created', category: 'auth', link: '/settings/service-accounts' }),
    ]);
  });

  it('tells the user about a sign-in from a device never seen before, not on the first sign-in nor a known device', async () => {
    const first = await createUserAndLogin(env.auth.url, adminToken, 'traveller'); // first sign-in: no notice
    const agent = (ua: string) => ({ 'user-agent': ua });
    await login(env.auth.url, 'traveller', 'user-password-1'); // the same client as the first sign-in: known
    expect(await notices(first.user_id)).toEqual([]);
    await login(env.auth.url, 'traveller', 'user-password-1', agent('Firefox/140 on a new laptop'));
    await login(env.auth.url, 'traveller', 'user-password-1', agent('Firefox/140 on a new laptop'));
    const sent = await notices(first.user_id);
    expect(sent).toEqual([expect.objectContaining({ title: 'Sign-in from a new device', category: 'auth', scope: 'sign-in' })]);
    expect(String(sent[0]?.['message'])).toContain('Firefox/140 on a new laptop');
  });
});
