import { describe, expect, it } from 'vitest';
import { AddressLimiter } from './address-limiter';
import { parseLogin } from './login';
import { classifyComputeRefusal } from './refusal';

describe('parseLogin', () => {
  it('refuses what names no container', () => {
    for (const name of ['', 'root', 'abc', 'ABCDEFGH1', 'a.b.c', '.abcd1234', 'Root.abcd1234', 'x'.repeat(40) + '.abcd1234', 'abcd1234.']) {
      expect(parseLogin(name), name).toBeUndefined();
    }
  });
  it('reads <containerId> as root and <user>.<containerId> split at the last dot', () => {
    expect(parseLogin('abcd1234')).toEqual({ containerId: 'abcd1234', user: 'root' });
    expect(parseLogin('ABCD1234')).toEqual({ containerId: 'abcd1234', user: 'root' });
    expect(parseLogin('dev.abcd1234')).toEqual({ containerId: 'abcd1234', user: 'dev' });
  });
});

describe('AddressLimiter', () => {
  it('holds at most the maximum per address and frees slots on release', () => {
    const limiter = new AddressLimiter(2);
    expect([limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('b')]).toEqual([true, true, false, true]);
    limiter.release('a');
    expect(limiter.acquire('a')).toBe(true);
    limiter.release('a');
    limiter.release('a');
    limiter.release('a');
    expect([limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('a')]).toEqual([true, true, false]);
  });
});

describe('classifyComputeRefusal', () => {
  it("maps compute's words to bounded metric labels", () => {
    expect(classifyComputeRefusal('no such container')).toBe('unknown_container');
    expect(classifyComputeRefusal('the container is not running')).toBe('container_not_running');
    expect(classifyComputeRefusal('the container has no keys yet')).toBe('container_not_running');
    expect(classifyComputeRefusal('SSH is disabled for this container')).toBe('ssh_disabled');
    expect(classifyComputeRefusal('unknown login "dev": log in as root')).toBe('unknown_login');
    expect(classifyComputeRefusal('this key is not trusted by the container')).toBe('key_not_trusted');
    expect(classifyComputeRefusal('compute unreachable: ECONNREFUSED')).toBe('compute_unavailable');
    expect(classifyComputeRefusal('something new')).toBe('denied');
  });
});
