import type { TransferProgress } from '@edd/api-contracts';
import type { Redis } from 'ioredis';
import { transferKeys } from './progress-channel';

type Listener = (progress: TransferProgress) => void;

/**
 * One Redis subscriber connection per process, shared by every SSE stream: a channel is subscribed while at least
 * one stream listens to it. (A connection in subscriber mode can run nothing else, hence the duplicate.)
 */
export class ProgressSubscriptions {
  private subscriber: Redis | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Calls `listener` with each progress message of the transfer; resolves once subscribed, to the unsubscribe. */
  async listen(id: string, listener: Listener): Promise<() => Promise<void>> {
    const { channel } = transferKeys(this.prefix, id);
    const subscriber = this.connection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    await subscriber.subscribe(channel);
    return async () => {
      const current = this.listeners.get(channel);
      current?.delete(listener);
      if (current && current.size === 0) {
        this.listeners.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => {
      const set = this.listeners.get(channel);
      if (!set) return;
      let progress: TransferProgress;
      try {
        progress = JSON.parse(message) as TransferProgress;
      } catch {
        return;
      }
      for (const listener of set) listener(progress);
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
