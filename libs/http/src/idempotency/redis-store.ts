import type { Redis } from 'ioredis';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store';

/** Keys expire by themselves (PX); `keyPrefix` is the service's Redis prefix. */
export function redisIdempotencyStore(redis: Redis, keyPrefix: string): IdempotencyStore {
  const name = (key: string): string => `${keyPrefix}idempotency:${key}`;
  return {
    claim: async (key, fingerprint, ttlMs) =>
      (await redis.set(name(key), JSON.stringify({ fingerprint } satisfies IdempotencyRecord), 'PX', ttlMs, 'NX')) === 'OK',
    read: async (key) => {
      const raw = await redis.get(name(key));
      return raw === null ? undefined : (JSON.parse(raw) as IdempotencyRecord);
    },
    keep: async (key, record, ttlMs) => {
      await redis.set(name(key), JSON.stringify(record), 'PX', ttlMs);
    },
    release: async (key) => {
      await redis.del(name(key));
    },
  };
}
