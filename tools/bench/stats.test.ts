import { describe, expect, it } from 'vitest';
import { median, percentile, percentileOfSorted } from './stats';

describe('bench statistics', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, descending on purpose

  it('takes nearest-rank percentiles whatever the order of the samples', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([7, 3, 5], 90)).toBe(7);
    expect(percentile([], 99)).toBeNaN();
  });

  it('reads percentiles of sorted samples without sorting them again', () => {
    const sorted = [...hundred].reverse();
    expect(percentileOfSorted(sorted, 50)).toBe(50);
    expect(percentileOfSorted(sorted, 99.9)).toBe(100);
    expect(percentileOfSorted([], 50)).toBeNaN();
  });

  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([42])).toBe(42);
    expect(median([])).toBeNaN();
  });

  it('leaves its input as it was', () => {
    const samples = [3, 1, 2];
    median(samples);
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});
