import { describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { corsMiddleware, isAllowedOrigin, parseEntryPoints, type CorsHeaders } from './cors';

/** `npm start`: the platform is served over plain http too. */
const DEV = parseEntryPoints(['https:443', 'https:18443', 'http:80', 'http:18080']);

describe('isAllowedOrigin', () => {
  const domain = 'cloud.localhost';
  it.each([
    ['http://cloud.localhost', true],
    ['https://cloud.localhost:18443', true],
    ['http://auth.cloud.localhost:18080', true],
    ['HTTP://CLOUD.LOCALHOST', true],
  ])('allows the platform origin %s on a development platform', (origin, expected) => {
    expect(isAllowedOrigin(origin, domain, [], DEV)).toBe(expected);
  });

  it('on an https platform allows only https origins on its port (the default)', () => {
    for (const origin of ['https://cloud.localhost', 'https://auth.cloud.localhost:443', 'https://dashboard.cloud.localhost'])
      expect(isAllowedOrigin(origin, domain), origin).toBe(true);
    // A plain-http page (which a network attacker can serve) or another port of the same host is not the platform.
    for (const origin of [
      'http://cloud.localhost',
      'http://auth.cloud.localhost:18080',
      'https://cloud.localhost:8443',
      'http://cloud.localhost:443',
    ])
      expect(isAllowedOrigin(origin, domain), origin).toBe(false);
    expect(isAllowedOrigin('https://cloud.localhost:8443', domain, [], parseEntryPoints(['https:8443']))).toBe(true);
    expect(isAllowedOrigin('https://cloud.localhost', domain, [], parseEntryPoints(['https:8443']))).toBe(false);
  });

  it('refuses entry points it cannot read', () => {
    for (const bad of ['ftp:21', 'https', 'https:0', 'https:70000', 'http://x:80'])
      expect(() => parseEntryPoints([bad]), bad).toThrow(/PUBLIC_ENTRY_POINTS/);
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
    expect(isAllowedOrigin(origin, domain, [], DEV)).toBe(false);
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
        headers: { Origin: 'https://cloud.localhost', 'Access-Control-Request-Method': 'PATCH' },
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
