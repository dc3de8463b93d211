import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher';

/** Items are `key:n`; the key is what comes before the colon. */
const keyOf = (item: string): string => item.split(':')[0] ?? '';
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A take-in that holds each batch until released (then lets every batch through), recording batches and how many ran at once. */
function heldTakeIn() {
  const batches: string[][] = [];
  const releases: Array<() => void> = [];
  let holding = true;
  let running = 0;
  let mostAtOnce = 0;
  const takeIn = async (items: string[]): Promise<string[]> => {
    batches.push(items);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    if (holding) await new Promise<void>((resolve) => releases.push(resolve));
    else await nextTurn();
    running -= 1;
    return items.map((i) => `done ${i}`);
  };
  const releaseAll = () => {
    holding = false;
    releases.splice(0).forEach((release) => release());
  };
  return { batches, takeIn, releaseAll, mostAtOnce: () => mostAtOnce };
}

describe('Batcher', () => {
  it('takes in what was added together as one batch, in order, and answers each item with its own result', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher(
      async (items: string[]) => {
        batches.push(items);
        return items.map((i) => `done ${i}`);
      },
      { maxBatch: 10, maxInFlight: 1, keyOf },
    );
    expect(await Promise.all(['a:1', 'b:1', 'a:2'].map((i) => batcher.add(i)))).toEqual(['done a:1', 'done b:1', 'done a:2']);
    expect(batches).toEqual([['a:1', 'b:1', 'a:2']]);
  });

  it('runs batches side by side up to the bound, never two holding one key, and each key in order', async () => {
    const held = heldTakeIn();
    const batcher = new Batcher(held.takeIn, { maxBatch: 2, maxInFlight: 2, keyOf });
    const first = ['a:1', 'b:1'].map((i) => batcher.add(i));
    await nextTurn(); // [a:1, b:1] is under way
    const later = ['a:2', 'c:1', 'd:1', 'c:2', 'e:1'].map((i) => batcher.add(i));
    await nextTurn(); // a is busy: a:2 waits, [c:1, d:1] goes beside the first batch; the bound keeps the rest waiting
    expect(held.batches).toEqual([
      ['a:1', 'b:1'],
      ['c:1', 'd:1'],
    ]);
    held.releaseAll();
    expect(await Promise.all([...first, ...later])).toEqual(['a:1', 'b:1', 'a:2', 'c:1', 'd:1', 'c:2', 'e:1'].map((i) => `done ${i}`));
    expect(held.mostAtOnce()).toBe(2);
    // Every key's items went in the order they were added, and no key was in two batches at once.
    const order = held.batches.flat();
    for (const key of ['a', 'c']) expect(order.filter((i) => keyOf(i) === key)).toEqual([`${key}:1`, `${key}:2`]);
    expect(held.batches.slice(2)).toEqual([['a:2', 'c:2'], ['e:1']]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher(
      async (items: string[]) => {
        batches.push(items);
        if (items.includes('b:1')) throw new Error('bad item');
        return items;
      },
      { maxBatch: 10, maxInFlight: 1, keyOf },
    );
    const settled = await Promise.allSettled(['a:1', 'b:1', 'c:1'].map((i) => batcher.add(i)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual(['a:1', 'failed', 'c:1']);
    expect(batches).toEqual([['a:1', 'b:1', 'c:1'], ['a:1'], ['b:1'], ['c:1']]);
  });

  it('fails a batch answered with the wrong number of results rather than misattributing them', async () => {
    const batcher = new Batcher(async (items: string[]) => items.slice(1), { maxBatch: 10, maxInFlight: 1, keyOf });
    await expect(batcher.add('a:1')).rejects.toThrow(/answered with 0 results/);
  });
});
