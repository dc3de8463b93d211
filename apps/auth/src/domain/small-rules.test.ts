import { describe, expect, it } from 'vitest';
import { isAdminUser } from './admin';
import { constantTimeEqual } from './constant-time';
import { parseDuration } from './duration';
import { isPublicId, randomId } from './ids';
import { isExpired, tokenExpiry } from './token-expiry';
import { isValidUsername, normalizeUsername } from './usernames';

describe('small domain rules', () => {
  it('random ids are base62 of the requested length and distinct', () => {
    const ids = new Set(Array.from({ length: 500 }, () => randomId(12)));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(isPublicId("x' OR '1'='1")).toBe(false);
  });

  it('parses durations', () => {
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('0s')).toBeUndefined();
    expect(parseDuration('7 days')).toBeUndefined();
  });

  it('usernames: lower-case, 3-32 of [a-z0-9_.-]', () => {
    expect(normalizeUsername('  Alice ')).toBe('alice');
    expect(isValidUsername('a.b-c_9')).toBe(true);
    for (const bad of ['ab', 'a'.repeat(33), 'Alice', "' or 1=1 --", 'a b']) expect(isValidUsername(bad)).toBe(false);
  });

  it('token expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(tokenExpiry('never', now)).toBeNull();
    expect(tokenExpiry('30d', now)?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(isExpired(null)).toBe(false);
    expect(isExpired(new Date(Date.now() - 1))).toBe(true);
  });

  it('admins: ADMIN_USERNAME or the flag', () => {
    expect(isAdminUser({ username: 'admin', isAdmin: false }, 'Admin')).toBe(true);
    expect(isAdminUser({ username: 'bob', isAdmin: true }, 'admin')).toBe(true);
    expect(isAdminUser({ username: 'bob', isAdmin: false }, 'admin')).toBe(false);
  });

  it('constant-time comparison handles different lengths', () => {
    expect(constantTimeEqual('key', 'key')).toBe(true);
    expect(constantTimeEqual('key', 'key-longer')).toBe(false);
  });
});
