import { notify, notification, mintMeta } from '@edd/events';
import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeNotification } from '../src/intake/store-notification';
import { CLOSE_TOO_MANY } from '../src/live/user-sockets';
import { openSocket, startNotifications, type Notifications, type OpenSocket, type TestUser } from './harness';

let a: Notifications;
let b: Notifications;
beforeAll(async () => {
  a = await startNotifications('live', { socket: { maxPerUser: 3, maxBufferedBytes: 64 * 1024 } });
  b = await a.replica();
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const sockets: OpenSocket[] = [];
async function open(replica: Notifications, user: TestUser, after?: number): Promise<OpenSocket> {
  const socket = await openSocket(replica.url, user.token, after);
  sockets.push(socket);
  return socket;
}
afterAll(() => sockets.forEach((s) => s.socket.terminate()));

const storedIds = async (userId: string): Promise<number[]> =>
  (await a.db.query<{ id: string }>('SELECT id FROM notifications WHERE user_id = $1 ORDER BY id', [userId])).rows.map((r) => Number(r.id));

async function publish(user: TestUser, count: number, prefix = 'n'): Promise<void> {
  for (let i = 0; i < count; i++) await notify(a.bus, user.userId, { title: `${prefix}${i}`, message: '', category: 'compute' });
}

describe('WS /ws/notifications', () => {
  it('pushes each new notification exactly once to every socket of the user, on both replicas, and to nobody else', async () => {
    const alice = await a.user('alice');
    const bob = await a.user('bob');
    const [onA, onB, bobs] = [await open(a, alice), await open(b, alice), await open(b, bob)];
    await publish(alice, 20);
    await waitFor(async () => (await storedIds(alice.userId)).length === 20);
    const stored = await storedIds(alice.userId);
    await waitFor(() => onA.ids.length >= 20 && onB.ids.length >= 20);
    expect(onA.ids).toEqual(stored);
    expect(onB.ids).toEqual(stored);
    expect(bobs.ids).toEqual([]);
  });

  it('on reconnect with ?after=<last id seen>, sends what was missed, then live ones, each once and in order', async () => {
    const carol = await a.user('carol');
    const first = await open(a, carol);
    await publish(carol, 3, 'before');
    await waitFor(() => first.ids.length === 3);
    first.socket.close();
    await first.closed;
    await publish(carol, 4, 'while-away');
    await waitFor(async () => (await storedIds(carol.userId)).length === 7);
    const again = await open(b, carol, first.ids.at(-1));
    await publish(carol, 2, 'after');
    await waitFor(async () => (await storedIds(carol.userId)).length === 9);
    const stored = await storedIds(carol.userId);
    await waitFor(() => again.ids.length >= 6);
    expect(again.ids).toEqual(stored.slice(3));
    // Without ?after a socket starts at the newest: only later ones.
    const fresh = await open(a, carol);
    await publish(carol, 1, 'latest');
    await waitFor(() => fresh.ids.length >= 1 && again.ids.length >= 7);
    expect(fresh.ids).toEqual([again.ids.at(-1)]);
  });

  it('reads a gap from the database when a broadcast was lost (stored without one), so nothing is skipped', async () => {
    const dave = await a.user('dave');
    const socket = await open(b, dave);
    const silent = await storeNotification(a.db, {
      type: 'notify',
      subject: `notify.${dave.userId}`,
      meta: mintMeta('test'),
      data: notification(dave.userId, { title: 'never broadcast', message: '', category: 'auth' }),
    });
    expect(silent.outcome).toBe('stored');
    await publish(dave, 1, 'next');
    await waitFor(() => socket.ids.length >= 2);
    expect(socket.ids).toEqual(await storeIdsOf(dave));
  });

  it('without ?after, sends everything stored once the socket is open, even stored before the first broadcast reaches it', async () => {
    const hank = await a.user('hank');
    const socket = await open(b, hank);
    // Stored the moment the client sees the socket open, without a broadcast: owed to the socket all the same (the
    // dashboard's toast relies on it), so the next broadcast reveals it as a gap to catch up.
    const first = await storeNotification(a.db, {
      type: 'notify',
      subject: `notify.${hank.userId}`,
      meta: mintMeta('test'),
      data: notification(hank.userId, { title: 'right after open', message: '', category: 'auth' }),
    });
    expect(first.outcome).toBe('stored');
    await publish(hank, 1, 'next');
    await waitFor(() => socket.ids.length >= 2);
    expect(socket.ids).toEqual(await storedIds(hank.userId));
  });

  it('keeps at most the cap of sockets per user, closing the oldest first', async () => {
    const eve = await a.user('eve');
    const opened = [await open(a, eve), await open(a, eve), await open(a, eve)];
    const fourth = await open(a, eve);
    expect(await opened[0]?.closed).toEqual({ code: CLOSE_TOO_MANY.code, reason: CLOSE_TOO_MANY.reason });
    await publish(eve, 1);
    await waitFor(() => [opened[1], opened[2], fourth].every((s) => s?.ids.length === 1));
    expect(opened[0]?.ids).toEqual([]);
  });

  it(
    'a socket that stops reading never holds up the others: the server queues at most its bound for it',
    { timeout: 180_000 },
    async () => {
      const frank = await a.user('frank');
      const stuck = await open(a, frank);
      const healthy = await open(a, frank);
      // The stuck client stops reading: the kernel buffers fill, then the server's per-socket queue (64 KiB here).
      (stuck.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      const message = 'x'.repeat(1900);
      let largestQueue = 0;
      const watch = setInterval(() => {
        for (const feed of a.app.notificationsSocket.sockets.feedsOf(frank.userId))
          largestQueue = Math.max(largestQueue, feed.socket.bufferedAmount);
      }, 5);
      try {
        for (let i = 0; i < 400; i++) await notify(a.bus, frank.userId, { title: `big${i}`, message, category: 'compute' });
        await waitFor(() => healthy.ids.length === 400, 150_000);
      } finally {
        clearInterval(watch);
      }
      expect(healthy.ids).toEqual(await storedIds(frank.userId));
      expect(largestQueue).toBeLessThanOrEqual(64 * 1024 + 4096);
      expect(stuck.ids.length).toBeLessThan(400);
    },
  );

  it('refuses an upgrade without a credential (401), a token without the inbox scope (403), a bad ?after (1008)', async () => {
    const gina = await a.user('gina');
    await expect(openSocket(a.url, 'nope')).rejects.toThrow(/401/);
    await expect(openSocket(a.url, gina.apiToken({ [`storage.${gina.userId}`]: ['read'] }))).rejects.toThrow(/403/);
    const scoped = await openSocket(a.url, gina.apiToken({ [`notifications.${gina.userId}.inbox`]: ['read'] }));
    sockets.push(scoped);
    const bad = await open(a, gina, -5 as number);
    expect((await bad.closed).code).toBe(1008);
  });
});

async function storeIdsOf(user: TestUser): Promise<number[]> {
  return storedIds(user.userId);
}
