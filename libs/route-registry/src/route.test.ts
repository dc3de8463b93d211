import { describe, expect, it } from 'vitest';
import { normalizeHost, normalizePathPrefix } from './route';

describe('normalizeHost', () => {
  it.each([
    ['auth.cloud.localhost', 'auth.cloud.localhost'],
    ['AUTH.Cloud.localhost', 'auth.cloud.localhost'],
    ['auth.cloud.localhost:18080', 'auth.cloud.localhost'],
    ['auth.cloud.localhost.', 'auth.cloud.localhost'],
    ['auth.cloud.localhost.:443', 'auth.cloud.localhost'],
    ['127.0.0.1:80', '127.0.0.1'],
    ['[::1]:80', '[::1]'],
    ['[::1]', '[::1]'],
    ['[FE80::A]:1', '[fe80::a]'],
    ['', ''],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });
  it('returns the same string when nothing changes (no allocation on the hot path)', () => {
    const host = 'docs.cloud.localhost';
    expect(normalizeHost(host)).toBe(host);
  });
});

describe('normalizePathPrefix', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['//', '/'],
    ['/api/', '/api'],
    ['/api//', '/api'],
    ['/api', '/api'],
    ['api', '/api'],
    ['/A%2F', '/A%2F'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePathPrefix(input)).toBe(expected);
  });
});
