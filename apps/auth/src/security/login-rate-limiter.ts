import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpErrors } from '@edd/http';
import type { Logger } from '@edd/logger';
import type { Redis } from 'ioredis';
import { rateLimitSubject } from '../domain/client-address';

export interface LoginLimits {
  /** Attempts of any outcome per client address in one window: one address guessing across many usernames. */
  maxPerIp: number;
  ipWindowMs: number;
  /** Failed attempts on one username from one address in one window (a success there resets it). */
  maxPerUser: number;
  userWindowMs: number;
  /**
   * Failures on one username from all addresses in `userWindowMs` after which every attempt on it waits
   * `slowdownMs` before its password is checked. A delay, never a refusal: the owner still gets in.
   */
  slowdownAfter: number;
  slowdownMs: number;
  keyPrefix: string;
}

export type Admission = { refused: true; retryAfterSeconds: number } | { refused: false; delayMs: number };

/**
 * Fixed-window login limits kept in Redis, so every auth replica counts against the same numbers.
 * An attempt is counted atomically (MULTI: create-with-expiry-if-absent, INCR, PTTL) before the password is checked,
 * so concurrent guesses cannot slip past a limit. Nothing here refuses a username for everyone: the username limit
 * counts per (username, address), and the username-wide count only slows attempts down.
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
  private userDigest(username: string): string {
    return createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 32);
  }

  private userAtIpKey(ip: string, username: string): string {
    return `${this.limits.keyPrefix}login:user-ip:${this.userDigest(username)}:${rateLimitSubject(ip)}`;
  }

  private userFailuresKey(username: string): string {
    return `${this.limits.keyPrefix}login:user-failures:${this.userDigest(username)}`;
  }

  /** Counts the attempt: refused (with the seconds to wait) over a limit, else admitted after `delayMs`. */
  async admit(ip: string, username: string): Promise<Admission> {
    const ipKey = this.ipKey(ip);
    const pairKey = this.userAtIpKey(ip, username);
    const replies = await this.redis
      .multi()
      .set(ipKey, '0', 'PX', this.limits.ipWindowMs, 'NX')
      .incr(ipKey)
      .pttl(ipKey)
      .set(pairKey, '0', 'PX', this.limits.userWindowMs, 'NX')
      .incr(pairKey)
      .pttl(pairKey)
      .get(this.userFailuresKey(username))
      .exec();
    if (!replies) throw new Error('rate limiter transaction aborted');
    for (const [error] of replies) if (error) throw error;
    const value = (index: number): number => Number(replies[index]?.[1] ?? 0);
    const waits: number[] = [];
    if (value(1) > this.limits.maxPerIp) waits.push(value(2));
    // The pair's count includes this attempt: `maxPerUser` failures are allowed, the next attempt is refused.
    if (value(4) > this.limits.maxPerUser) waits.push(value(5));
    if (waits.length) return { refused: true, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
    return { refused: false, delayMs: value(6) >= this.limits.slowdownAfter ? this.limits.slowdownMs : 0 };
  }

  /** A wrong password: counts towards the username-wide slowdown. */
  async recordFailure(username: string): Promise<void> {
    const key = this.userFailuresKey(username);
    await this.redis.multi().set(key, '0', 'PX', this.limits.userWindowMs, 'NX').incr(key).exec();
  }

  /** The right password from this address: its count on the username starts again (the slowdown stays). */
  async recordSuccess(ip: string | null, username: string): Promise<void> {
    await this.redis.del(this.userAtIpKey(ip ?? 'unknown', username));
  }
}

/**
 * Counts a password attempt (login, password change) and waits out the slowdown, or refuses it: 429 + Retry-After
 * over a limit, 503 when Redis cannot count, because without the limiter passwords would be open to unlimited
 * guessing (fail closed).
 */
export async function enforceLoginLimit(limiter: LoginRateLimiter, logger: Logger, ip: string | null, username: string): Promise<void> {
  let admission: Admission;
  try {
    admission = await limiter.admit(ip ?? 'unknown', username);
  } catch (error) {
    logger.error('login rate limiter unavailable', { error });
    throw httpErrors.unavailable('login is temporarily unavailable');
  }
  if (admission.refused) throw httpErrors.tooManyRequests(admission.retryAfterSeconds);
  if (admission.delayMs > 0) await sleep(admission.delayMs);
}

/** Records a wrong password without letting a Redis hiccup turn the 401 into a 500 (admission already counted it). */
export async function recordLoginFailure(limiter: LoginRateLimiter, logger: Logger, username: string): Promise<void> {
  await limiter.recordFailure(username).catch((error: unknown) => logger.warn('login failure not counted', { error }));
}
