import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startRawUpstream, startTestEdge, type TestEdge } from './harness';

/** An upstream that answers every request with the raw bytes chosen by the request path. */
const RESPONSES: Record<string, string> = {
  '/chunked': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
  '/close': 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close',
  '/nocontent': 'HTTP/1.1 204 No Content\r\n\r\n',
  '/garbage': 'NOT HTTP AT ALL\r\n\r\n',
  '/truncated': 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this',
};

describe('edge response framing', () => {
  let upstream: Awaited<ReturnType<typeof startRawUpstream>>;
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = await startRawUpstream((path, s) => {
      s.write(RESPONSES[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      if (path === '/close' || path === '/truncated' || path === '/garbage') s.end();
    });
    gw = await startTestEdge([
      { host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstream.port}`, stripPrefix: false },
    ]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.close();
  });

  const req = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: cloud.localhost\r\n${extra}\r\n`;

  it('passes chunked responses through unchanged and keeps the connection', async () => {
    const res = await raw(gw.edge.ports.http, req('/chunked') + req('/nocontent') + req('/chunked', 'Connection: close\r\n'));
    expect(res.text.match(/3\r\nabc\r\n0\r\n\r\n/g)).toHaveLength(2);
    expect(res.text).toContain('HTTP/1.1 204 No Content');
    expect(res.closed).toBe(true);
  });

  it('relays a close-delimited response and closes the client connection after it', async () => {
    const res = await raw(gw.edge.ports.http, req('/close'));
    expect(res.text).toContain('Connection: close');
    expect(res.text.endsWith('\r\n\r\nuntil close')).toBe(true);
    expect(res.closed).toBe(true);
  });

  it('answers 502 for a garbled upstream response and closes a truncated one', async () => {
    const garbage = await raw(gw.edge.ports.http, req('/garbage'), { waitMs: 500 });
    expect(garbage.text).toMatch(/^HTTP\/1\.1 502 /);
    const truncated = await raw(gw.edge.ports.http, req('/truncated'), { waitMs: 1_000 });
    expect(truncated.text).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*only this$/);
    expect(truncated.closed).toBe(true);
  });
});
