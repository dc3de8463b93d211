import { describe, expect, it } from 'vitest';
import { LookupCache } from './lookup-cache';
import type { CacheNode } from './lookup-cache';

const bucket = () => new Map<string, CacheNode<number>>();

describe('LookupCache', () => {
  it('evicts the least recently used entry across buckets', () => {
    const cache = new LookupCache<number>(2);
    const a = bucket();
    const b = bucket();
    cache.set(a, '/1', 1);
    cache.set(b, '/1', 2);
    expect(cache.get(a, '/1')?.value).toBe(1); // a:/1 is now the most recent
    cache.set(b, '/2', 3);
    expect(b.has('/1')).toBe(false);
    expect(cache.get(a, '/1')?.value).toBe(1);
    expect(cache.get(b, '/2')?.value).toBe(3);
    expect(cache.size).toBe(2);
  });
  it('updating a key neither grows the cache nor loses recency', () => {
    const cache = new LookupCache<number>(2);
    const a = bucket();
    cache.set(a, '/x', 1);
    cache.set(a, '/y', 2);
    cache.set(a, '/x', 3);
    cache.set(a, '/z', 4); // evicts /y, the oldest
    expect(cache.size).toBe(2);
    expect(cache.get(a, '/x')?.value).toBe(3);
    expect(a.has('/y')).toBe(false);
  });
  it('a long sequence keeps exactly the last `capacity` distinct keys', () => {
    const cache = new LookupCache<number>(3);
    const a = bucket();
    for (let i = 0; i < 50; i++) cache.set(a, `/${i}`, i);
    expect([...a.keys()].sort()).toEqual(['/47', '/48', '/49']);
    expect(cache.size).toBe(3);
  });
  it('capacity 0 stores nothing; clear empties every bucket', () => {
    const zero = new LookupCache<number>(0);
    const a = bucket();
    zero.set(a, '/', 1);
    expect(a.size).toBe(0);
    const cache = new LookupCache<number>(5);
    cache.set(a, '/', 1);
    cache.clear();
    expect(a.size).toBe(0);
    expect(cache.size).toBe(0);
  });
});
