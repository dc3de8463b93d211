import { describe, expect, it } from 'vitest';
import { resolveClientAddress, trustedProxyMatcher } from './trusted-proxies';

const loopback = trustedProxyMatcher(['loopback']);

describe('trustedProxyMatcher', () => {
  it('reads addresses, CIDR ranges and "loopback"', () => {
    const trusted = trustedProxyMatcher(['10.1.0.0/16', '192.0.2.5', 'fd00::/8', 'loopback']);
    for (const address of ['10.1.2.3', '192.0.2.5', 'fd12::1', '127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
      expect(trusted(address), address).toBe(true);
    for (const address of ['10.2.0.1', '192.0.2.6', 'fe80::1', '172.16.0.1', '192.168.1.1', 'not-an-ip', ''])
      expect(trusted(address), address).toBe(false);
  });

  it('does not trust private or link-local networks unless listed', () => {
    for (const address of ['10.0.0.1', '172.16.0.1', '192.168.0.1', '169.254.1.1', 'fd00::1', 'fe80::1'])
      expect(loopback(address)).toBe(false);
  });

  it('refuses entries it cannot read', () => {
    for (const bad of ['10.0.0.0/33', 'gateway', '1.2.3', '::1/129', '10.0.0.0/x'])
      expect(() => trustedProxyMatcher([bad]), bad).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('resolveClientAddress', () => {
  it('takes the right-most untrusted hop of the chain', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.7', loopback)).toBe('203.0.113.7');
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 203.0.113.7', loopback)).toBe('203.0.113.7');
    expect(resolveClientAddress('::ffff:127.0.0.1', ' 6.6.6.6 ,203.0.113.7 ', loopback)).toBe('203.0.113.7');
  });

  it('walks through several trusted proxies', () => {
    const trusted = trustedProxyMatcher(['loopback', '10.0.0.0/8']);
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1, 10.0.0.4', trusted)).toBe('198.51.100.1');
    // Every hop trusted: the left-most is the best known client.
    expect(resolveClientAddress('127.0.0.1', '10.0.0.9, 10.0.0.4', trusted)).toBe('10.0.0.9');
  });

  it('ignores the header from a peer that is not a trusted proxy, private and loopback peers included', () => {
    const gatewayOnly = trustedProxyMatcher(['127.0.0.1']);
    expect(resolveClientAddress('127.0.0.2', '203.0.113.7', gatewayOnly)).toBe('127.0.0.2');
    expect(resolveClientAddress('10.0.0.5', '203.0.113.7', loopback)).toBe('10.0.0.5');
    expect(resolveClientAddress('192.168.1.20', '1.1.1.1', loopback)).toBe('192.168.1.20');
  });

  it('stops at an unreadable entry, on the trusted hop that sent it', () => {
    const trusted = trustedProxyMatcher(['loopback', '10.0.0.0/8']);
    expect(resolveClientAddress('127.0.0.1', 'garbage, 10.0.0.4', trusted)).toBe('10.0.0.4');
    expect(resolveClientAddress('127.0.0.1', '203.0.113.7:1234', loopback)).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', undefined, loopback)).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', '', loopback)).toBe('127.0.0.1');
  });
});
