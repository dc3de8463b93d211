import { notify, encodeEnvelope, mintMeta, notification } from '@edd/events';
import { publishRaw, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeNotification } from '../src/intake/store-notification';
import { call, startNotifications, type Notifications } from './harness';

let n: Notifications;
beforeAll(async () => {
  n = await startNotifications('intake');
});
afterAll(async () => n?.close());

const titles = async (userId: string): Promise<string[]> =>
  (await n.db.query<{ title: string }>('SELECT title FROM notifications WHERE user_id = $1 ORDER BY id', [userId])).rows.map(
    (r) => r.title,
  );

describe('intake of notify.>', () => {
  it('stores a notification with its fields, in the shape of the API', async () => {
    const alice = await n.user('alice');
    await notify(n.bus, alice.userId, {
      title: 'Container ready',
      message: 'web is running.',
      category: 'compute',
      link: '/compute/containers/c1',
    });
    await waitFor(async () => (await titles(alice.userId)).length === 1);
    const list = await call<Array<Record<string, unknown>>>(n.url, 'GET', '/api/notifications', { token: alice.token });
    expect(list.body).toEqual([
      {
        id: expect.any(Number),
        user_id: alice.userId,
        title: 'Container ready',
        message: 'web is running.',
        link: '/compute/containers/c1',
        category: 'compute',
        scope: '',
        read: false,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  it('stores an event once however often it arrives: the same envelope published twice past JetStream dedupe, and replayed', async () => {
    const bob = await n.user('bob');
    const meta = mintMeta('storage');
    const body = encodeEnvelope(meta, notification(bob.userId, { title: 'twice', message: '', category: 'storage' }));
    // publishRaw sends no Nats-Msg-Id, so the stream keeps both copies: only the service's event-id claim dedupes.
    await publishRaw(`notify.${bob.userId}`, body);
    await publishRaw(`notify.${bob.userId}`, body);
    await notify(n.bus, bob.userId, { title: 'after', message: '', category: 'storage' });
    await waitFor(async () => (await titles(bob.userId)).includes('after'));
    expect(await titles(bob.userId)).toEqual(['twice', 'after']);
    // The user deletes it; a replay of the same event (e.g. a consumer reset) finds the id claimed and stores nothing.
    const [, twice] = (await call<Array<{ id: number }>>(n.url, 'GET', '/api/notifications', { token: bob.token })).body;
    expect((await call(n.url, 'DELETE', `/api/notifications/${twice?.id}`, { token: bob.token })).status).toBe(204);
    const replay = await storeNotification(n.db, {
      type: 'notify',
      subject: `notify.${bob.userId}`,
      meta,
      data: notification(bob.userId, { title: 'twice', message: '', category: 'storage' }),
    });
    expect(replay).toEqual({ outcome: 'duplicate' });
    expect(await titles(bob.userId)).toEqual(['after']);
  });

  it('drops muted notifications before storing: an empty scope mutes the whole category, a scope only itself', async () => {
    const carol = await n.user('carol');
    const put = (json: unknown) => call(n.url, 'PUT', '/api/notifications/mutes', { token: carol.token, json });
    expect((await put({ category: 'compute' })).status).toBe(200);
    expect((await put({ category: 'storage', scope: 'photos' })).status).toBe(200);
    const send = (title: string, category: string, scope?: string) =>
      notify(n.bus, carol.userId, { title, message: '', category, ...(scope ? { scope } : {}) });
    await send('compute any', 'compute');
    await send('compute scoped', 'compute', 'c1');
    await send('storage photos', 'storage', 'photos');
    await send('storage docs', 'storage', 'docs');
    await send('auth', 'auth');
    await waitFor(async () => (await titles(carol.userId)).includes('auth'));
    expect(await titles(carol.userId)).toEqual(['storage docs', 'auth']);
  });
});
