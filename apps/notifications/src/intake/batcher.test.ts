import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher';

/** A take-in that records each batch it got, answering each item with its double (or failing on `bad`). */
function recorder(bad?: number) {
  const batches: number[][] = [];
  const takeIn = async (items: number[]): Promise<number[]> => {
    batches.push(items);
    if (bad !== undefined && items.includes(bad)) throw new Error(`bad item ${bad}`);
    return items.map((i) => i * 2);
  };
  return { batches, takeIn };
}

describe('Batcher', () => {
  it('takes in what was added together as one batch, in order, and answers each item with its own result', async () => {
    const { batches, takeIn } = recorder();
    const batcher = new Batcher(takeIn, 10);
    const results = await Promise.all([1, 2, 3].map((i) => batcher.add(i)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives during a batch into the next one, one batch at a time, never above the bound', async () => {
    let release: () => void = () => undefined;
    const batches: number[][] = [];
    let running = 0;
    let overlapped = false;
    const batcher = new Batcher(async (items: number[]) => {
      batches.push(items);
      running += 1;
      if (running > 1) overlapped = true;
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
      return items;
    }, 3);
    const first = batcher.add(0);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is under way
    const later = [1, 2, 3, 4, 5].map((i) => batcher.add(i));
    release();
    expect(await Promise.all([first, ...later])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(overlapped).toBe(false);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    const { batches, takeIn } = recorder(2);
    const batcher = new Batcher(takeIn, 10);
    const settled = await Promise.allSettled([1, 2, 3].map((i) => batcher.add(i)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([2, 'failed', 6]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails a batch answered with the wrong number of results rather than misattributing them', async () => {
    const batcher = new Batcher(async (items: number[]) => items.slice(1), 10);
    await expect(batcher.add(1)).rejects.toThrow(/answered with 0 results/);
  });
});
