import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

describe('edge response cache', () => {
  let up: Upstream;
  let gw: TestEdge;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      const path = (req.url ?? '').split('?')[0] as string;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === '/cookie') res.setHeader('set-cookie', 'a=b');
      if (path === '/nostore') res.setHeader('cache-control', 'no-store');
      if (path === '/private') res.setHeader('cache-control', 'private, max-age=60');
      if (path === '/public') res.setHeader('cache-control', 'public, max-age=60');
      if (path === '/big') return res.end(Buffer.alloc(1024 * 1024 + 1, 'b'));
      if (path === '/missing') res.statusCode = 404;
      if (req.method !== 'GET') {
        req.resume();
        return req.on('end', () => res.end('mutated'));
      }
      res.end(`v${hits.get(path)}`);
    });
    gw = await startTestEdge([{ host: 'storage.cloud.localhost', pathPrefix: '/', target: up.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
  });

  const fetch = (path: string, options?: Parameters<typeof get>[3]) => get(gw.edge.ports.http, 'storage.cloud.localhost', path, options);

  it('serves a repeated anonymous GET 200 from the cache, marked no-store for the browser', async () => {
    const first = await fetch('/public');
    expect(first.body).toBe('v1');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['x-cache']).toBe('MISS');
    const second = await fetch('/public');
    expect(second.body).toBe('v1');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.headers['cache-control']).toBe('no-store');
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(hits.get('/public')).toBe(1);
  });

  it('evicts a path on PUT/POST/PATCH/DELETE', async () => {
    await fetch('/doc');
    expect((await fetch('/doc')).headers['x-cache']).toBe('HIT');
    await fetch('/doc', { method: 'PUT', body: 'x' });
    const after = await fetch('/doc');
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).toBe('v3'); // v2 was the PUT
  });

  it('never caches credentialed requests', async () => {
    const credentials: Array<Record<string, string>> = [
      { authorization: 'Bearer x' },
      { 'x-service-key': 'k' },
      { cookie: 'theme=dark; token=abc' },
    ];
    for (const headers of credentials) {
      await fetch('/cred', { headers });
      await fetch('/cred', { headers });
    }
    expect(hits.get('/cred')).toBe(6);
    // And a credentialed request is never answered from an anonymous entry.
    await fetch('/shared');
    await fetch('/shared', { headers: { authorization: 'Bearer x' } });
    expect(hits.get('/shared')).toBe(2);
  });

  it('never caches query strings, Set-Cookie, no-store/private, non-200 or > 1 MB responses', async () => {
    for (const path of ['/q?token=abc', '/cookie', '/nostore', '/private', '/missing', '/big']) {
      await fetch(path);
      const again = await fetch(path);
      expect(again.headers['x-cache'], path).not.toBe('HIT');
    }
    for (const path of ['/q', '/cookie', '/nostore', '/private', '/missing', '/big']) expect(hits.get(path), path).toBe(2);
  });

  it('never caches health probes', async () => {
    await fetch('/healthz');
    expect((await fetch('/healthz')).headers['x-cache']).toBeUndefined();
    expect(hits.get('/healthz')).toBe(2);
  });

  it('keeps upstream Cache-Control on responses it does not cache', async () => {
    const res = await fetch('/private');
    expect(res.headers['cache-control']).toBe('private, max-age=60');
  });
});
