import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, get, raw, startTestEdge, startUpstream, type TestEdge } from './harness';
import { waitUntil } from '../../wait-until';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/** An upstream that answers with what it received, so tests see exactly what the gateway forwarded. */
function echoUpstream(name: string): Promise<Upstream> {
  return startUpstream((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('connection', 'keep-alive, x-secret-hop');
    res.setHeader('x-secret-hop', 'must not reach the client');
    res.end(JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers }));
  });
}

describe('edge routing and proxying', () => {
  let a: Upstream;
  let b: Upstream;
  let gw: TestEdge;

  beforeAll(async () => {
    a = await echoUpstream('a');
    b = await echoUpstream('b');
    gw = await startTestEdge([
      { host: 'cloud.localhost', pathPrefix: '/', target: a.url, stripPrefix: false },
      { host: 'health.cloud.localhost', pathPrefix: '/', target: a.url, stripPrefix: false },
      { host: 'health.cloud.localhost', pathPrefix: '/logs', target: b.url, stripPrefix: true },
      { host: 'health.cloud.localhost', pathPrefix: '/sse/health', target: b.url, stripPrefix: false },
    ]);
  });
  afterAll(async () => {
    await gw.close();
    await a.close();
    await b.close();
  });

  it('routes by host (port ignored), longest prefix, exact path, with stripPrefix and query kept', async () => {
    const port = gw.edge.ports.http;
    const root = JSON.parse((await get(port, 'cloud.localhost:18080', '/x/y?z=1')).body);
    expect(root).toMatchObject({ name: 'a', url: '/x/y?z=1' });
    const logs = JSON.parse((await get(port, 'health.cloud.localhost', '/logs/stream?level=error')).body);
    expect(logs).toMatchObject({ name: 'b', url: '/stream?level=error' });
    const logsRoot = JSON.parse((await get(port, 'health.cloud.localhost', '/logs')).body);
    expect(logsRoot).toMatchObject({ name: 'b', url: '/' });
    const exact = JSON.parse((await get(port, 'HEALTH.cloud.localhost', '/sse/health')).body);
    expect(exact).toMatchObject({ name: 'b', url: '/sse/health' });
    const other = JSON.parse((await get(port, 'health.cloud.localhost', '/logsx')).body);
    expect(other).toMatchObject({ name: 'a', url: '/logsx' });
  });

  it('writes one structured access log line per request, without the query', async () => {
    const res = await get(gw.edge.ports.http, 'health.cloud.localhost', '/logs/x?token=secret', {
      headers: { 'x-request-id': 'log-test-1' },
    });
    expect(res.status).toBe(200);
    // Lines are written in batches: wait for ours.
    const ours = () => gw.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['requestId'] === 'log-test-1');
    await waitUntil(() => ours() !== undefined);
    const line = ours();
    expect(line).toMatchObject({
      level: 'info',
      service: 'gateway',
      msg: 'request',
      component: 'access',
      method: 'GET',
      host: 'health.cloud.localhost',
      path: '/logs/x',
      route: 'health.cloud.localhost/logs',
      status: 200,
      client: '127.0.0.1',
    });
    expect(line?.['bytes']).toBeGreaterThan(0);
    expect(typeof line?.['durationMs']).toBe('number');
    expect(gw.logLines.join('\n')).not.toContain('secret');
    expect(gw.metrics.finished).toContainEqual({ route: 'health.cloud.localhost/logs', status: 200 });
  });

  it('answers 404 JSON for an unknown host', async () => {
    const res = await get(gw.edge.ports.http, 'nope.localhost', '/');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ error: 'no route for this host and path', code: 'no_route' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('sets forwarding headers, strips hop-by-hop both ways, and echoes the request id', async () => {
    const res = await get(gw.edge.ports.http, 'cloud.localhost', '/h', {
      headers: {
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-real-ip': '10.9.9.9',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': '1',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'x-request-id': 'abc-123',
      },
    });
    const seen = JSON.parse(res.body) as { headers: Record<string, string> };
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('cloud.localhost');
    expect(seen.headers['x-real-ip']).toBe('127.0.0.1');
    expect(seen.headers['x-request-id']).toBe('abc-123');
    expect(seen.headers['x-drop-me']).toBeUndefined();
    expect(seen.headers['te']).toBeUndefined();
    expect(seen.headers['keep-alive']).toBeUndefined();
    expect(seen.headers['host']).toBe('cloud.localhost');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-secret-hop']).toBeUndefined();
    // An invalid incoming id is replaced by a minted one.
    const minted = await get(gw.edge.ports.http, 'cloud.localhost', '/h2', { headers: { 'x-request-id': 'bad id!' } });
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(JSON.parse(minted.body).headers['x-request-id']).toBe(minted.headers['x-request-id']);
  });

  it('streams request bodies with Content-Length and chunked framing', async () => {
    const up = await startUpstream((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(JSON.stringify({ n, te: req.headers['transfer-encoding'] ?? null })));
    });
    gw.routes.replace([
      ...gw.routes.routes,
      { host: 'storage.cloud.localhost', pathPrefix: '/', target: up.url, stripPrefix: false, priority: 0 },
    ]);
    const fixed = await get(gw.edge.ports.http, 'storage.cloud.localhost', '/u', { method: 'POST', body: 'x'.repeat(100_000) });
    expect(JSON.parse(fixed.body)).toEqual({ n: 100_000, te: null });
    const chunked = await raw(
      gw.edge.ports.http,
      'POST /u HTTP/1.1\r\nHost: storage.cloud.localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n',
    );
    expect(chunked.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(chunked.text).toContain('{"n":11,"te":"chunked"}');
    await up.close();
  });

  it('keeps pipelined requests in order on one connection', async () => {
    const req = (p: string) => `GET ${p} HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n`;
    const res = await raw(gw.edge.ports.http, req('/1') + req('/2') + req('/3').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'));
    const urls = [...res.text.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(['/1', '/2', '/3']);
    expect(res.closed).toBe(true);
  });

  it('answers an HTTP/1.0 request and closes', async () => {
    const res = await raw(gw.edge.ports.http, 'GET /old HTTP/1.0\r\nHost: cloud.localhost\r\n\r\n');
    expect(res.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(res.text).toContain('"url":"/old"');
    expect(res.text).not.toMatch(/transfer-encoding: chunked/i);
    expect(res.closed).toBe(true);
  });

  it('answers HEAD without a body and keeps the connection usable', async () => {
    const res = await raw(
      gw.edge.ports.http,
      'HEAD /h HTTP/1.1\r\nHost: cloud.localhost\r\n\r\nGET /after HTTP/1.1\r\nHost: cloud.localhost\r\nConnection: close\r\n\r\n',
    );
    const heads = res.text.match(/HTTP\/1\.1 200 OK/g) ?? [];
    expect(heads).toHaveLength(2);
    expect(res.text).toContain('"url":"/after"');
  });

  it('rejects malformed requests with 400 and closes', async () => {
    const cases = [
      'GET / HTTP/1.1\r\nHost: cloud.localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
      'GET / HTTP/1.1\r\nHost : cloud.localhost\r\n\r\n',
      'GET / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: cloud.localhost\r\nContent-Length: 1, 2\r\n\r\n',
      'GET /a b HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: cloud.localhost\r\n folded\r\n\r\n',
    ];
    for (const c of cases) {
      const res = await raw(gw.edge.ports.http, c);
      expect(res.text, c).toMatch(/^HTTP\/1\.1 400 /);
      expect(bodyOf(res.text)).toEqual({ error: 'bad request', code: 'invalid_request' });
      expect(res.closed).toBe(true);
    }
  });

  it('answers 431 for an oversized head', async () => {
    const res = await raw(gw.edge.ports.http, `GET / HTTP/1.1\r\nHost: cloud.localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(res.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(res.text)).toEqual({ error: 'request header fields too large', code: 'headers_too_large' });
    expect(res.closed).toBe(true);
  });
});
