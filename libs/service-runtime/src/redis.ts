import { Redis } from 'ioredis';

/** A Redis client that fails fast while Redis is down instead of queueing commands forever. */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    // A Redis that accepts but never answers must not hold a request (a login) until the HTTP timeout.
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Errors surface on commands and in readiness; an unhandled 'error' event would crash the process.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    // Otherwise retryStrategy keeps reconnecting in the background of a process that gave up on Redis.
    redis.disconnect();
    throw error;
  }
  return redis;
}
