import type { Notification, NotificationFrame } from '@edd/api-contracts';
import type { LiveSocket } from '@edd/live';

/** Reads a user's notifications newer than an id, oldest first, at most `limit`. */
export type ReadAfter = (userId: string, after: number, limit: number) => Promise<Notification[]>;

/** What a feed needs of its socket. */
export type FeedSocket = Pick<LiveSocket, 'isOpen' | 'send' | 'close' | 'bufferedAmount'>;

const CATCH_UP_BATCH = 200;

/**
 * One socket's view of its user's notifications. `cursor` is the newest id sent; since a user's ids commit in
 * increasing order (see intake), everything up to the cursor has been sent, exactly once. A live notification
 * whose `previousId` is the cursor goes straight out; anything else (a lost or reordered broadcast, a resume)
 * makes the feed read the gap from the database. Sends never wait: a socket that cannot keep up is dropped by
 * LiveSocket's buffer bound, so it never holds anyone else up.
 */
export class SocketFeed {
  private catchingUp = false;
  private again = false;

  constructor(
    readonly socket: FeedSocket,
    readonly userId: string,
    private cursor: number,
    private readonly readAfter: ReadAfter,
    private readonly onError: (error: unknown) => void,
  ) {}

  get lastSent(): number {
    return this.cursor;
  }

  /** Sets the cursor once it is known (the feed ignores live notifications until then), then catches up. */
  start(cursor: number): void {
    this.cursor = cursor;
    this.catchUp();
  }

  offer(notification: Notification, previousId: number): void {
    if (notification.id <= this.cursor) return; // already sent by a catch-up
    if (previousId === this.cursor && !this.catchingUp) {
      this.send(notification);
      return;
    }
    this.catchUp();
  }

  /** Reads and sends everything newer than the cursor; coalesces calls made while one runs. */
  catchUp(): void {
    if (this.catchingUp) {
      this.again = true;
      return;
    }
    this.catchingUp = true;
    void this.drain();
  }

  changed(): void {
    this.frame({ type: 'changed' });
  }

  /**
   * The flag is cleared in the same synchronous step that last checks `again`: cleared a microtask later (in a
   * `.finally` on the caller's side), an offer landing in between would set `again` for a loop already over, and
   * that notification would wait for the next one.
   */
  private async drain(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          if (!this.socket.isOpen) return;
          const batch = await this.readAfter(this.userId, this.cursor, CATCH_UP_BATCH);
          for (const notification of batch) if (notification.id > this.cursor) this.send(notification);
          if (batch.length < CATCH_UP_BATCH) break;
        }
      } while (this.again);
    } catch (error) {
      this.onError(error);
    } finally {
      this.catchingUp = false;
    }
  }

  private send(notification: Notification): void {
    this.cursor = notification.id;
    this.frame({ type: 'notification', notification });
  }

  private frame(frame: NotificationFrame): void {
    this.socket.send(frame);
  }
}
