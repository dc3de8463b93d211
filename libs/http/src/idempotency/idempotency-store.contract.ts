import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from './idempotency-store';

const HOUR = 3_600_000;
const key = (): string => randomBytes(16).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The behaviour every IdempotencyStore engine must have; called once per engine with a way to get it. */
export function describeIdempotencyStore(engine: string, store: () => IdempotencyStore): void {
  describe(`IdempotencyStore contract: ${engine}`, () => {
    it('claims a key once; the claim holds the fingerprint without an answer', async () => {
      const k = key();
      expect(await store().claim(k, 'f1', HOUR)).toBe(true);
      expect(await store().claim(k, 'f2', HOUR)).toBe(false);
      expect(await store().read(k)).toEqual({ fingerprint: 'f1' });
    });

    it('of many claims at once on one key, exactly one wins', async () => {
      const k = key();
      const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => store().claim(k, `f${i}`, HOUR)));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('keeps an answer, which a later claim does not displace', async () => {
      const k = key();
      await store().claim(k, 'f', HOUR);
      await store().keep(k, { fingerprint: 'f', status: 201, sealed: 'abc' }, HOUR);
      expect(await store().claim(k, 'f', HOUR)).toBe(false);
      expect(await store().read(k)).toEqual({ fingerprint: 'f', status: 201, sealed: 'abc' });
    });

    it('a released key is absent and can be claimed again', async () => {
      const k = key();
      await store().claim(k, 'f', HOUR);
      await store().release(k);
      expect(await store().read(k)).toBeUndefined();
      expect(await store().claim(k, 'g', HOUR)).toBe(true);
    });

    it('an expired claim or answer is absent and can be claimed again', async () => {
      const [held, answered] = [key(), key()];
      await store().claim(held, 'f', 1);
      await store().claim(answered, 'f', HOUR);
      await store().keep(answered, { fingerprint: 'f', status: 200, sealed: 'x' }, 1);
      await sleep(20);
      expect(await store().read(held)).toBeUndefined();
      expect(await store().read(answered)).toBeUndefined();
      expect(await store().claim(held, 'g', HOUR)).toBe(true);
      expect(await store().claim(answered, 'g', HOUR)).toBe(true);
      expect(await store().read(answered)).toEqual({ fingerprint: 'g' });
    });

    it('an unknown key reads as absent', async () => {
      expect(await store().read(key())).toBeUndefined();
    });
  });
}
