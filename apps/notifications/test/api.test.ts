import { notify } from '@edd/events';
import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startNotifications, type Notifications, type TestUser } from './harness';

let n: Notifications;
beforeAll(async () => {
  n = await startNotifications('api');
});
afterAll(async () => n?.close());

type Item = { id: number; title: string; read: boolean };

/** Publishes `count` notifications to `user` and waits until they are stored. */
async function seed(user: TestUser, count: number, category = 'compute'): Promise<void> {
  for (let i = 0; i < count; i++) await notify(n.bus, user.userId, { title: `n${i}`, message: `m${i}`, category });
  await waitFor(async () => {
    const { rows } = await n.db.query<{ c: number }>('SELECT count(*)::int AS c FROM notifications WHERE user_id = $1', [user.userId]);
    return (rows[0]?.c ?? 0) >= count;
  });
}

const list = async (user: TestUser, query = '') =>
  (await call<Item[]>(n.url, 'GET', `/api/notifications${query}`, { token: user.token })).body;

describe('GET /api/notifications', () => {
  it('lists newest first and pages with limit and cursor (the smallest id seen)', async () => {
    const alice = await n.user('alice');
    await seed(alice, 5);
    const first = await list(alice, '?limit=2');
    expect(first.map((x) => x.title)).toEqual(['n4', 'n3']);
    const second = await list(alice, `?limit=2&cursor=${first[1]?.id}`);
    expect(second.map((x) => x.title)).toEqual(['n2', 'n1']);
    const rest = await list(alice, `?limit=100&cursor=${second[1]?.id}`);
    expect(rest.map((x) => x.title)).toEqual(['n0']);
    expect((await list(alice)).length).toBe(5); // default 20
  });

  it('refuses a bad limit or cursor with 400 instead of silently using a default', async () => {
    const bob = await n.user('bob');
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?cursor=-1', '?cursor=x']) {
      const res = await call(n.url, 'GET', `/api/notifications${query}`, { token: bob.token });
      expect([query, res.status, typeof (res.body as { error?: unknown }).error]).toEqual([query, 400, 'string']);
    }
  });

  it('needs a credential; an API token needs the notifications inbox scope', async () => {
    const carol = await n.user('carol');
    await seed(carol, 1);
    expect((await call(n.url, 'GET', '/api/notifications')).status).toBe(401);
    const storageOnly = carol.apiToken({ [`storage.${carol.userId}`]: ['read'] });
    expect((await call(n.url, 'GET', '/api/notifications', { token: storageOnly })).status).toBe(403);
    const readOnly = carol.apiToken({ [`notifications.${carol.userId}.inbox`]: ['read'] });
    const listed = await call<Item[]>(n.url, 'GET', '/api/notifications', { token: readOnly });
    expect([listed.status, listed.body.length]).toEqual([200, 1]);
    expect((await call(n.url, 'POST', '/api/notifications/read-all', { token: readOnly })).status).toBe(403);
    expect((await call(n.url, 'GET', '/api/notifications/mutes', { token: readOnly })).status).toBe(403);
    const othersScope = carol.apiToken({ [`notifications.someone-else.inbox`]: ['read'] });
    expect((await call(n.url, 'GET', '/api/notifications', { token: othersScope })).status).toBe(403);
  });
});

describe('reading and deleting', () => {
  it('counts unread, marks one read, 404 for an unknown id or another user’s, then all read', async () => {
    const dave = await n.user('dave');
    const eve = await n.user('eve');
    await seed(dave, 3);
    await seed(eve, 1);
    const count = async (user: TestUser) =>
      (await call<{ count: number }>(n.url, 'GET', '/api/notifications/unread-count', { token: user.token })).body;
    expect(await count(dave)).toEqual({ count: 3 });
    const [newest] = await list(dave);
    const [evesOnly] = await list(eve);
    expect((await call(n.url, 'POST', `/api/notifications/${newest?.id}/read`, { token: dave.token })).body).toEqual({ status: 'ok' });
    expect(await count(dave)).toEqual({ count: 2 });
    expect((await list(dave))[0]?.read).toBe(true);
    expect((await call(n.url, 'POST', `/api/notifications/${evesOnly?.id}/read`, { token: dave.token })).status).toBe(404);
    expect((await call(n.url, 'POST', '/api/notifications/999999999/read', { token: dave.token })).status).toBe(404);
    expect((await call(n.url, 'POST', '/api/notifications/abc/read', { token: dave.token })).status).toBe(400);
    expect(await count(eve)).toEqual({ count: 1 });
    expect((await call(n.url, 'POST', '/api/notifications/read-all', { token: dave.token })).body).toEqual({ status: 'ok' });
    expect(await count(dave)).toEqual({ count: 0 });
    expect(await count(eve)).toEqual({ count: 1 });
  });

  it('deletes one of the user’s own notifications; 404 for another user’s', async () => {
    const frank = await n.user('frank');
    const gina = await n.user('gina');
    await seed(frank, 2);
    await seed(gina, 1);
    const [a] = await list(frank);
    const [g] = await list(gina);
    expect((await call(n.url, 'DELETE', `/api/notifications/${g?.id}`, { token: frank.token })).status).toBe(404);
    expect((await call(n.url, 'DELETE', `/api/notifications/${a?.id}`, { token: frank.token })).status).toBe(204);
    expect((await call(n.url, 'DELETE', `/api/notifications/${a?.id}`, { token: frank.token })).status).toBe(404);
    expect((await list(frank)).map((x) => x.title)).toEqual(['n0']);
    expect((await list(gina)).length).toBe(1);
  });
});

describe('/api/notifications/mutes', () => {
  it('adds (idempotently), lists and removes mutes; validates the body', async () => {
    const hal = await n.user('hal');
    const mutes = async () =>
      (await call<Array<{ category: string; scope: string }>>(n.url, 'GET', '/api/notifications/mutes', { token: hal.token })).body.map(
        (m) => `${m.category}/${m.scope}`,
      );
    for (const json of [{ category: 'compute' }, { category: 'compute' }, { category: 'storage', scope: 'photos' }]) {
      expect((await call(n.url, 'PUT', '/api/notifications/mutes', { token: hal.token, json })).status).toBe(200);
    }
    expect(await mutes()).toEqual(['compute/', 'storage/photos']);
    for (const json of [{}, { category: '' }, { category: 'Bad Category' }, { category: 'x', scope: 'y'.repeat(201) }, 'text']) {
      expect((await call(n.url, 'PUT', '/api/notifications/mutes', { token: hal.token, json })).status).toBe(400);
    }
    expect((await call(n.url, 'DELETE', '/api/notifications/mutes', { token: hal.token, json: { category: 'compute' } })).body).toEqual({
      status: 'ok',
    });
    expect((await call(n.url, 'DELETE', '/api/notifications/mutes', { token: hal.token, json: { category: 'compute' } })).status).toBe(404);
    expect(await mutes()).toEqual(['storage/photos']);
    const other = await n.user('ida');
    expect((await call<unknown[]>(n.url, 'GET', '/api/notifications/mutes', { token: other.token })).body).toEqual([]);
  });
});
