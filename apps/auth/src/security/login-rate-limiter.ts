import { createHash } from 'node:crypto';
import { httpErrors } from '@edd/http';
import type { Logger } from '@edd/logger';
import type { Redis } from 'ioredis';
import { rateLimitSubject } from '../domain/client-address';

export interface LoginLimits {
  /** Failed attempts per username in one window (a success resets the count). */
  maxPerUser: number;
  userWindowMs: number;
  /** Attempts of any outcome per client IP in one window. */
  maxPerIp: number;
  ipWindowMs: number;
  keyPrefix: string;
}

/**
 * Fixed-window login limits kept in Redis, so every auth replica counts against the same numbers.
 * Each attempt is counted atomically (MULTI: create-with-expiry-if-absent, INCR, PTTL) before the password is
 * checked, so concurrent guesses cannot slip past the limit; a successful login clears the username's count.
 */
export class LoginRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limits: LoginLimits,
  ) {}

  private ipKey(ip: string): string {
    return `${this.limits.keyPrefix}login:ip:${rateLimitSubject(ip)}`;
  }

  /** Hashed so arbitrary submitted usernames make bounded, well-formed keys. */
  private userKey(username: string): string {
    const digest = createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 32);
    return `${this.limits.keyPrefix}login:user:${digest}`;
  }

  /** Counts the attempt; returns the seconds to wait when the IP or the username is over its limit. */
  async admit(ip: string, username: string): Promise<{ retryAfterSeconds: number } | undefined> {
    const ipKey = this.ipKey(ip);
    const userKey = this.userKey(username);
    const replies = await this.redis
      .multi()
      .set(ipKey, '0', 'PX', this.limits.ipWindowMs, 'NX')
      .incr(ipKey)
      .pttl(ipKey)
      .set(userKey, '0', 'PX', this.limits.userWindowMs, 'NX')
      .incr(userKey)
      .pttl(userKey)
      .exec();
    if (!replies) throw new Error('rate limiter transaction aborted');
    for (const [error] of replies) if (error) throw error;
    const value = (index: number): number => Number(replies[index]?.[1] ?? 0);
    const waits: number[] = [];
    if (value(1) > this.limits.maxPerIp) waits.push(value(2));
    // The user's count includes this attempt: `maxPerUser` failures are allowed, the next attempt is refused.
    if (value(4) > this.limits.maxPerUser) waits.push(value(5));
    if (waits.length === 0) return undefined;
    return { retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
  }

  async recordSuccess(username: string): Promise<void> {
    await this.redis.del(this.userKey(username));
  }
}

/**
 * Counts a password attempt (login, password change) or refuses it: 429 + Retry-After over the limit, 503 when Redis
 * cannot count, because without the limiter passwords would be open to unlimited guessing (fail closed).
 */
export async function enforceLoginLimit(limiter: LoginRateLimiter, logger: Logger, ip: string | null, username: string): Promise<void> {
  let blocked: { retryAfterSeconds: number } | undefined;
  try {
    blocked = await limiter.admit(ip ?? 'unknown', username);
  } catch (error) {
    logger.error('login rate limiter unavailable', { error });
    throw httpErrors.unavailable('login is temporarily unavailable');
  }
  if (blocked) throw httpErrors.tooManyRequests(blocked.retryAfterSeconds);
}
