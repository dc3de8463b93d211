import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTestStore, type TestStore } from './test-stores';

let testStore: TestStore;
beforeAll(async () => {
  testStore = await postgresTestStore();
});
afterAll(() => testStore.close());

describe('postgresIdempotencyStore', () => {
  it('a claim sweeps expired rows, so keys nobody retries do not pile up', async () => {
    const { store } = testStore;
    const old = Array.from({ length: 5 }, () => randomBytes(16).toString('hex'));
    for (const key of old) await store.claim(key, 'f', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = randomBytes(16).toString('hex');
    expect(await store.claim(fresh, 'f', 60_000)).toBe(true);
    const dump = await testStore.dump();
    expect(dump).toContain(fresh);
    for (const key of old) expect(dump).not.toContain(key);
  });
});
