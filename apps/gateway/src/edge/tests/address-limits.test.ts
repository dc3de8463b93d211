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

  it('refuses a client rotating through its /64 once the per-client limit is reached', () => {
    const limits = new AddressLimits({ maxConnections: 100, reserve: 0, maxPerAddress: 100, maxPendingPerAddress: 3 });
    const slots = [1, 2, 3].map((i) => limits.acquire(`2001:db8:1:2::${i}`));
    expect(slots.every(Boolean)).toBe(true);
    expect(limits.acquire('2001:db8:1:2::4')).toBeUndefined();
    expect(limits.acquire('2001:db8:1:3::1')).toBeDefined();
    slots[0]?.settle();
    expect(limits.acquire('2001:db8:1:2::5')).toBeDefined();
    for (const slot of slots) slot?.release();
    expect(limits.total).toBe(2);
  });
});
