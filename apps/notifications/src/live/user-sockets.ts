import type { LiveSocket } from '@edd/live';
import type { LiveMessage } from './live-messages';
import type { SocketFeed } from './socket-feed';

/** Close code for the oldest socket of a user who opened more than the cap. */
export const CLOSE_TOO_MANY = { code: 4008, reason: 'too many notification sockets for this user' } as const;

/**
 * This replica's notification sockets by user. Each user keeps at most `maxPerUser` here; the oldest is closed
 * when another opens (a forgotten tab gives way to the one in use).
 */
export class UserSockets {
  private readonly byUser = new Map<string, SocketFeed[]>();

  constructor(private readonly maxPerUser: number) {}

  get size(): number {
    let total = 0;
    for (const feeds of this.byUser.values()) total += feeds.length;
    return total;
  }

  hasUser(userId: string): boolean {
    return this.byUser.has(userId);
  }

  /** The user's open feeds on this replica, oldest first. */
  feedsOf(userId: string): readonly SocketFeed[] {
    return this.byUser.get(userId) ?? [];
  }

  add(feed: SocketFeed): void {
    const feeds = this.byUser.get(feed.userId) ?? [];
    feeds.push(feed);
    this.byUser.set(feed.userId, feeds);
    while (feeds.length > this.maxPerUser) {
      const oldest = feeds.shift();
      oldest?.socket.close(CLOSE_TOO_MANY.code, CLOSE_TOO_MANY.reason);
    }
  }

  remove(socket: LiveSocket, userId: string): void {
    const feeds = this.byUser.get(userId);
    if (!feeds) return;
    const left = feeds.filter((feed) => feed.socket !== socket);
    if (left.length === 0) this.byUser.delete(userId);
    else this.byUser.set(userId, left);
  }

  /** Hands a message between replicas to the user's sockets here. */
  deliver(message: LiveMessage): void {
    if (message.kind === 'stored') {
      for (const feed of this.byUser.get(message.notification.user_id) ?? []) feed.offer(message.notification, message.previousId);
    } else {
      for (const feed of this.byUser.get(message.userId) ?? []) feed.changed();
    }
  }

  /** After the bus reconnected: broadcasts may have been lost, so every socket reads what it missed. */
  catchUpAll(): void {
    for (const feeds of this.byUser.values()) for (const feed of feeds) feed.catchUp();
  }
}
