import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './cors';

describe('isAllowedOrigin', () => {
  const domain = 'cloud.localhost';
  it.each([
    ['http://cloud.localhost', true],
    ['https://cloud.localhost:18443', true],
    ['http://auth.cloud.localhost:18080', true],
    ['HTTP://CLOUD.LOCALHOST', true],
  ])('allows the platform origin %s', (origin, expected) => {
    expect(isAllowedOrigin(origin, domain)).toBe(expected);
  });

  it.each([
    'http://evil.localhost',
    'http://c0ffee.compute.cloud.localhost:8080',
    'https://a.b.cloud.localhost',
    'http://.cloud.localhost',
    'http://cloud.localhost.evil.com',
    'http://evilcloud.localhost',
    'http://notcloud.localhost:18080',
    'ftp://cloud.localhost',
    'null',
    '',
    'http://cloud.localhost/path',
    'http://user@cloud.localhost',
    'http://cloud.localhost/',
    'javascript:alert(1)',
  ])('refuses %s', (origin) => {
    expect(isAllowedOrigin(origin, domain)).toBe(false);
  });

  it('allows configured extra origins exactly', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5173', domain, ['http://127.0.0.1:5173'])).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5174', domain, ['http://127.0.0.1:5173'])).toBe(false);
  });
});
