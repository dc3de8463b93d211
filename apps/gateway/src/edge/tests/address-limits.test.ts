import { describe, expect, it } from 'vitest';
import { AddressLimits, clientKey } from '../net/address-limits';

describe('per-client connection accounting', () => {
  it('counts an IPv6 /64 as one client, IPv4 addresses one by one', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0DB8:0001:0002:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  });

  const settings = { maxConnections: 100, reserve: 0, maxPerAddress: 100, maxPendingPerAddress: 3, pendingGraceMs: 40 };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('refuses a client rotating through its /64 once the per-client limit is reached', () => {
    const limits = new AddressLimits({ ...settings, maxPerAddress: 3 });
    const slots = [1, 2, 3].map((i) => limits.acquire(`2001:db8:1:2::${i}`, () => undefined));
    expect(slots.every(Boolean)).toBe(true);
    expect(limits.acquire('2001:db8:1:2::4', () => undefined)).toBeUndefined();
    expect(limits.acquire('2001:db8:1:3::1', () => undefined)).toBeDefined();
    slots[0]?.release();
    expect(limits.acquire('2001:db8:1:2::5', () => undefined)).toBeDefined();
    for (const slot of slots.slice(1)) slot?.release();
    expect(limits.total).toBe(2);
  });

  it('accepts a burst beyond the pending cap, then closes the oldest still pending after the grace', async () => {
    const limits = new AddressLimits(settings);
    const evicted: number[] = [];
    const slots = [0, 1, 2, 3, 4, 5].map((i) => limits.acquire('203.0.113.7', () => evicted.push(i)));
    expect(slots.every(Boolean)).toBe(true);
    slots[2]?.settle(); // sent its head in time
    await sleep(settings.pendingGraceMs + 60);
    // Pending were 0, 1, 3, 4, 5: the two oldest go, three (the cap) stay.
    expect(evicted).toEqual([0, 1]);
    expect(slots.map((slot) => slot?.pending)).toEqual([false, false, false, true, true, true]);
    for (const slot of slots) slot?.release();
    expect(limits.total).toBe(0);
  });

  it('closes none of a burst whose connections all get past their first head within the grace', async () => {
    const limits = new AddressLimits(settings);
    const evicted: number[] = [];
    const slots = Array.from({ length: 10 }, (_, i) => limits.acquire('203.0.113.8', () => evicted.push(i)));
    await sleep(settings.pendingGraceMs / 4);
    for (const slot of slots) slot?.settle();
    await sleep(settings.pendingGraceMs + 60);
    expect(evicted).toEqual([]);
  });

  it('measures the grace from each connection: a newer one is closed only once it is old enough', async () => {
    const limits = new AddressLimits({ ...settings, maxPendingPerAddress: 1 });
    const evicted: string[] = [];
    limits.acquire('203.0.113.9', () => evicted.push('old'));
    await sleep(settings.pendingGraceMs + 20);
    limits.acquire('203.0.113.9', () => evicted.push('new'));
    limits.acquire('203.0.113.9', () => evicted.push('newest'));
    await sleep(20);
    expect(evicted).toEqual(['old']);
    await sleep(settings.pendingGraceMs + 40);
    expect(evicted).toEqual(['old', 'new']);
  });
});
