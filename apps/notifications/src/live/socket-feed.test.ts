import type { Notification, NotificationFrame } from '@edd/api-contracts';
import { describe, expect, it } from 'vitest';
import { SocketFeed, type FeedSocket, type ReadAfter } from './socket-feed';

const USER = 'u1';

function notification(id: number): Notification {
  return { id, user_id: USER, title: `n${id}`, message: '', link: '', category: 'compute', scope: '', read: false, created_at: '' };
}

/** Reads from an in-memory table, as notificationsAfter reads the database. */
const tableReader =
  (stored: Notification[]): ReadAfter =>
  async (_user, after, limit) =>
    stored.filter((n) => n.id > after).slice(0, limit);

/** A feed over a reader and a socket that records the ids it was sent. */
function feedOver(readAfter: ReadAfter) {
  const sent: number[] = [];
  const errors: unknown[] = [];
  const socket: FeedSocket = {
    isOpen: true,
    bufferedAmount: 0,
    send: (frame: string | Buffer | object) => {
      const typed = frame as NotificationFrame;
      if (typed.type === 'notification') sent.push(typed.notification.id);
      return true;
    },
    close: () => undefined,
  };
  const feed = new SocketFeed(socket, USER, Number.MAX_SAFE_INTEGER, readAfter, (error) => errors.push(error));
  return { feed, sent, errors };
}

const microtasks = async (count: number) => {
  for (let i = 0; i < count; i++) await Promise.resolve();
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('SocketFeed', () => {
  it('sends a live notification whose previous id is the cursor straight away, and skips ones already sent', async () => {
    const stored = [notification(1)];
    const { feed, sent } = feedOver(tableReader(stored));
    feed.start(0);
    await settle();
    expect(sent).toEqual([1]);
    stored.push(notification(2));
    feed.offer(notification(2), 1);
    feed.offer(notification(2), 1);
    feed.offer(notification(1), 0);
    expect(sent).toEqual([1, 2]);
  });

  it('reads the gap from the store when a broadcast was missed, in order and once', async () => {
    const stored = [notification(1), notification(2), notification(3)];
    const { feed, sent } = feedOver(tableReader(stored));
    feed.start(0);
    await settle();
    stored.push(notification(4), notification(5));
    feed.offer(notification(5), 4); // 4's broadcast never came
    await settle();
    expect(sent).toEqual([1, 2, 3, 4, 5]);
  });

  // Whenever in the catch-up's last steps an offer lands, the notification goes out without waiting for another.
  it('never strands an offer that arrives while a catch-up is finishing', async () => {
    for (let delay = 0; delay < 30; delay++) {
      const stored: Notification[] = [];
      const { feed, sent } = feedOver(tableReader(stored));
      feed.start(0);
      await microtasks(delay);
      stored.push(notification(1));
      feed.offer(notification(1), 0);
      await settle();
      expect(sent, `offer after ${delay} microtasks`).toEqual([1]);
    }
  });

  it('reports a failed read and lets a later catch-up run', async () => {
    let failing = true;
    const { feed, sent, errors } = feedOver(async () => {
      if (failing) throw new Error('database down');
      return [notification(1)];
    });
    feed.start(0);
    await settle();
    expect(errors).toHaveLength(1);
    failing = false;
    feed.catchUp();
    await settle();
    expect(sent).toEqual([1]);
  });
});
