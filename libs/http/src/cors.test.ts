import { describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { corsMiddleware, isAllowedOrigin, type CorsHeaders } from './cors';

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

describe('corsMiddleware', () => {
  async function preflight(headers?: CorsHeaders): Promise<Response> {
    const app = express();
    app.use(corsMiddleware('cloud.localhost', [], headers));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      return await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://cloud.localhost:18080', 'Access-Control-Request-Method': 'PATCH' },
      });
    } finally {
      server.close();
    }
  }

  it("adds a service's own protocol headers to the allowed and exposed lists, keeping the common ones", async () => {
    const plain = await preflight();
    expect(plain.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization, X-Request-ID');
    const storage = await preflight({ allowHeaders: ['Range', 'Upload-Offset'], exposeHeaders: ['Location'] });
    expect(storage.status).toBe(204);
    expect(storage.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization, X-Request-ID, Range, Upload-Offset');
    expect(storage.headers.get('access-control-expose-headers')).toBe('X-Request-ID, Retry-After, Location');
    expect(storage.headers.get('access-control-allow-methods')).toContain('HEAD');
  });
});
