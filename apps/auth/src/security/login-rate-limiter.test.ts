import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { HttpError } from '@edd/http';
import { createLogger } from '@edd/logger';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { enforceLoginLimit, LoginRateLimiter } from './login-rate-limiter';

const lines: string[] = [];
const logger = createLogger({
  service: 'limiter-test',
  stream: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
});
const limits = { maxPerUser: 1, userWindowMs: 60_000, maxPerIp: 100, ipWindowMs: 60_000, slowdownAfter: 2, slowdownMs: 1_500 };
const live = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
afterAll(() => live.disconnect());

async function refusal(promise: Promise<void>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('enforceLoginLimit', () => {
  it('admits within the limit and answers 429 with Retry-After beyond it', async () => {
    const limiter = new LoginRateLimiter(live, { ...limits, keyPrefix: `test:auth:limiter:${randomBytes(6).toString('hex')}:` });
    await enforceLoginLimit(limiter, logger, '192.0.2.1', 'someone');
    const refused = await refusal(enforceLoginLimit(limiter, logger, '192.0.2.1', 'someone'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(0);
  });

  it('counts the username limit per address and only slows the username down across addresses', async () => {
    const limiter = new LoginRateLimiter(live, { ...limits, keyPrefix: `test:auth:limiter:${randomBytes(6).toString('hex')}:` });
    expect(await limiter.admit('192.0.2.1', 'owner')).toEqual({ refused: false, delayMs: 0 });
    await limiter.recordFailure('owner');
    expect(await limiter.admit('192.0.2.2', 'owner')).toEqual({ refused: false, delayMs: 0 });
    await limiter.recordFailure('owner');
    // Two failures from anywhere: every address now waits, none is refused for the username's sake.
    expect(await limiter.admit('192.0.2.3', 'owner')).toEqual({ refused: false, delayMs: 1_500 });
    expect(await limiter.admit('2001:db8::1', 'owner')).toEqual({ refused: false, delayMs: 1_500 });
    expect(await limiter.admit('192.0.2.1', 'owner')).toMatchObject({ refused: true });
    // The right password from an address resets that address's count only.
    await limiter.recordSuccess('192.0.2.1', 'owner');
    expect(await limiter.admit('192.0.2.1', 'owner')).toEqual({ refused: false, delayMs: 1_500 });
  });

  it('fails closed with 503 when Redis cannot count', async () => {
    // Never connected, no offline queue: every command rejects at once, as when Redis is down.
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const limiter = new LoginRateLimiter(down, { ...limits, keyPrefix: 'test:auth:limiter:down:' });
    const refused = await refusal(enforceLoginLimit(limiter, logger, '192.0.2.1', 'someone'));
    expect(refused.status).toBe(503);
    expect(lines.some((line) => line.includes('login rate limiter unavailable'))).toBe(true);
    down.disconnect();
  });
});
