import { notify, encodeEnvelope, mintMeta, notification } from '@edd/events';
import { publishRaw, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEvent } from '@edd/events';
import { storeNotification, storeNotifications, type IntakeResult } from '../src/intake/store-notification';
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

const event = (userId: string, title: string, category = 'storage'): ReceivedEvent<'notify'> => ({
  type: 'notify',
  subject: `notify.${userId}`,
  meta: mintMeta('test'),
  data: notification(userId, { title, message: '', category }),
});

const storedOnes = (results: IntakeResult[]) => results.flatMap((r) => (r.outcome === 'stored' ? [r] : []));

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

  it('takes in a batch in one statement: a result per event in order, an id twice stored once, mutes, the batch order', async () => {
    const dave = await n.user('dave');
    const erin = await n.user('erin');
    expect((await call(n.url, 'PUT', '/api/notifications/mutes', { token: erin.token, json: { category: 'compute' } })).status).toBe(200);
    const twice = event(dave.userId, 'd1');
    const results = await storeNotifications(n.db, [
      twice,
      event(erin.userId, 'e muted', 'compute'),
      event(dave.userId, 'd2'),
      twice,
      event(erin.userId, 'e1'),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'muted', 'stored', 'duplicate', 'stored']);
    const [d1, d2] = storedOnes(results);
    expect(d1?.previousId).toBe(0);
    expect(d2?.previousId).toBe(d1?.notification.id);
    // The stored row, mapped as the API maps it.
    const list = await call<unknown[]>(n.url, 'GET', '/api/notifications', { token: dave.token });
    expect(list.body).toEqual([d2?.notification, d1?.notification]);
    expect(await titles(dave.userId)).toEqual(['d1', 'd2']);
    expect(await titles(erin.userId)).toEqual(['e1']);
  });

  it('takes in batches sharing users at once (two replicas) without deadlock, the ids of each user in one chain', async () => {
    const users = await Promise.all(['f', 'g', 'h'].map((name) => n.user(name)));
    const ids = users.map((u) => u.userId);
    const rounds = await Promise.all(
      Array.from({ length: 12 }, (_, round) => {
        // Each batch names the users in another order: locking heads in batch order would deadlock.
        const order = round % 2 === 0 ? ids : [...ids].reverse();
        return storeNotifications(
          n.db,
          order.flatMap((userId) => [event(userId, `r${round}a`), event(userId, `r${round}b`)]),
        );
      }),
    );
    const stored = storedOnes(rounds.flat());
    expect(stored).toHaveLength(12 * 3 * 2);
    for (const userId of ids) {
      const mine = stored.filter((r) => r.notification.user_id === userId).sort((a, b) => a.notification.id - b.notification.id);
      // Every notification's previous id is the one before it: what a socket's cursor relies on.
      expect(mine.map((r) => r.previousId)).toEqual([0, ...mine.slice(0, -1).map((r) => r.notification.id)]);
    }
  });
});
