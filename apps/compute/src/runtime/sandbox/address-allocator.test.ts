import { describe, expect, it } from 'vitest';
import { allocateAddress, gatewayAddress, parseSubnet, subnetContains } from './address-allocator';

describe('address allocation', () => {
  const subnet = parseSubnet('10.213.0.0/16');

  it('gives the host the first address and sandboxes the next free ones', () => {
    expect(gatewayAddress(subnet)).toBe('10.213.0.1');
    expect(allocateAddress(subnet, [])).toBe('10.213.0.2');
    expect(allocateAddress(subnet, ['10.213.0.2', '10.213.0.4'])).toBe('10.213.0.3');
    expect(allocateAddress(subnet, ['10.213.0.3'])).toBe('10.213.0.2');
  });

  it('crosses octet boundaries and never hands out one address twice', () => {
    const used: string[] = [];
    for (let index = 0; index < 600; index++) used.push(allocateAddress(subnet, used));
    expect(new Set(used).size).toBe(600);
    expect(used).toContain('10.213.1.0');
    expect(used.every((address) => subnetContains(subnet, address))).toBe(true);
  });

  it('stops at the broadcast address when a small subnet is full', () => {
    const small = parseSubnet('10.214.7.0/29');
    const used: string[] = [];
    for (let index = 0; index < 5; index++) used.push(allocateAddress(small, used));
    expect(used).toEqual(['10.214.7.2', '10.214.7.3', '10.214.7.4', '10.214.7.5', '10.214.7.6']);
    expect(() => allocateAddress(small, used)).toThrow(/no free address/);
  });

  it('rejects what is not a usable subnet', () => {
    expect(() => parseSubnet('10.213.0.1/16')).toThrow(/host bits/);
    expect(() => parseSubnet('10.213.0.0')).toThrow(/CIDR/);
    expect(() => parseSubnet('10.213.0.0/31')).toThrow(/prefix/);
    expect(() => parseSubnet('300.1.0.0/16')).toThrow(/IPv4/);
  });

  it('knows which addresses are its own', () => {
    expect(subnetContains(subnet, '10.213.255.254')).toBe(true);
    expect(subnetContains(subnet, '10.214.0.2')).toBe(false);
    expect(subnetContains(parseSubnet('192.168.128.0/17'), '192.168.127.9')).toBe(false);
  });
});
