import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, raw, startRawUpstream, startTestEdge, type TestEdge } from './harness';

/**
 * Request smuggling and response desync between the gateway and an upstream that parses differently.
 * The upstream is a raw socket: it records every byte it receives and answers each path with fixed bytes.
 */
const RESPONSES: Record<string, string> = {
  '/cl-and-te': 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
  '/conn-cl': 'HTTP/1.1 200 OK\r\nConnection: content-length\r\nContent-Length: 2\r\n\r\nok',
  '/status-lf': 'HTTP/1.1 200 OK\nContent-Length: 0\r\nContent-Length: 2\r\n\r\nok',
  '/bad-name': 'HTTP/1.1 200 OK\r\nContent Length: 0\r\nContent-Length: 2\r\n\r\nok',
  '/early': 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  '/nul': 'HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok',
  '/unsolicited-101':
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged',
};
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('edge request smuggling and response desync', () => {
  let upstream: Awaited<ReturnType<typeof startRawUpstream>>;
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = await startRawUpstream((path, s) => s.write(RESPONSES[path] ?? OK));
    gw = await startTestEdge([
      { host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstream.port}`, stripPrefix: false },
    ]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.close();
  });

  it('never lets Connection remove the Content-Length it frames the body by (RFC 9110 §7.6.1)', async () => {
    upstream.clearReceived();
    const res = await raw(
      gw.edge.ports.http,
      'POST /upload HTTP/1.1\r\nHost: cloud.localhost\r\nConnection: content-length, host\r\nContent-Length: 5\r\n\r\nhello',
      { waitMs: 500 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.received).toMatch(/\r\nContent-Length: 5\r\n/i);
    expect(upstream.received).toMatch(/\r\nHost: cloud\.localhost\r\n/i);
  });

  it('refuses a bare LF after the last chunk instead of reading the next request as a trailer', async () => {
    upstream.clearReceived();
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n';
    const res = await raw(
      gw.edge.ports.http,
      `POST /upload HTTP/1.1\r\nHost: cloud.localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n${smuggled}`,
      { waitMs: 1_000 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(res.closed).toBe(true);
    expect(upstream.received).not.toContain('/smuggled');
  });

  it('never sends the client both Content-Length and Transfer-Encoding (RFC 9112 §6.3)', async () => {
    const res = await raw(gw.edge.ports.http, 'GET /cl-and-te HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', { waitMs: 500 });
    const head = res.text.slice(0, res.text.indexOf('\r\n\r\n'));
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).toMatch(/Transfer-Encoding: chunked/i);
    expect(head).not.toMatch(/Content-Length/i);
    expect(res.text.endsWith('3\r\nabc\r\n0\r\n\r\n')).toBe(true);
  });

  it('keeps the response Content-Length when the upstream lists it in Connection', async () => {
    const res = await raw(gw.edge.ports.http, 'GET /conn-cl HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', { waitMs: 500 });
    expect(res.text).toMatch(/\r\nContent-Length: 2\r\n/i);
  });

  it('answers 502 to a 101 the client did not ask for', async () => {
    const res = await raw(gw.edge.ports.http, 'GET /unsolicited-101 HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', { waitMs: 500 });
    expect(res.text).toMatch(/^HTTP\/1\.1 502 /);
    expect(res.text).not.toContain('forged');
  });

  it('answers 400 for a Host with characters no host name has', async () => {
    for (const host of ['evil.example/x.cloud.localhost', 'user@cloud.localhost', 'cloud.localhost:80:80', 'a b']) {
      const res = await raw(gw.edge.ports.http, `GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`, { waitMs: 500 });
      expect(res.text, host).toMatch(/^HTTP\/1\.1 400 /);
    }
    const absolute = await raw(gw.edge.ports.http, 'GET http://user@cloud.localhost/ HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', {
      waitMs: 500,
    });
    expect(absolute.text).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('still serves ordinary hosts: names, ports, IPv4 and IPv6 literals', async () => {
    for (const host of ['cloud.localhost', 'CLOUD.localhost:18080', '127.0.0.1:8080', '[::1]:80']) {
      const res = await raw(gw.edge.ports.http, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, { waitMs: 500 });
      expect(res.text, host).toMatch(/^HTTP\/1\.1 (200|404) /);
    }
  });

  it('passes only WebSocket upgrades: an h2c tunnel would bypass routing and forwarding headers', async () => {
    upstream.clearReceived();
    const res = await raw(
      gw.edge.ports.http,
      'GET / HTTP/1.1\r\nHost: cloud.localhost\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n',
      { waitMs: 500 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.received).not.toMatch(/upgrade|http2-settings/i);
  });

  it('sends the absolute-form authority upstream as Host, not the Host field it replaced (RFC 9112 §3.2.2)', async () => {
    upstream.clearReceived();
    const res = await raw(
      gw.edge.ports.http,
      'GET http://cloud.localhost/page HTTP/1.1\r\nHost: internal.example\r\nConnection: close\r\n\r\n',
      { waitMs: 500 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.received).toMatch(/^GET \/page HTTP\/1\.1\r\n/);
    expect(upstream.received).toMatch(/\r\nHost: cloud\.localhost\r\n/);
    expect(upstream.received).not.toContain('internal.example');
  });

  it('answers 400 for a fragment in the request-target: routing and the upstream would disagree on the path', async () => {
    upstream.clearReceived();
    const res = await raw(gw.edge.ports.http, 'GET /logs#x HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', { waitMs: 500 });
    expect(res.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(upstream.received).toBe('');
  });

  it('answers HEAD with a head only, also when the gateway answers itself (404, 502)', async () => {
    const res = await raw(
      gw.edge.ports.http,
      'HEAD / HTTP/1.1\r\nHost: nowhere.localhost\r\n\r\n' +
        'HEAD /unsolicited-101 HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n' +
        'GET /ok HTTP/1.1\r\nHost: cloud.localhost\r\nConnection: close\r\n\r\n',
      { waitMs: 1_000 },
    );
    const [first, second, third] = res.text.split(/\r\n\r\n/);
    expect(first).toMatch(/^HTTP\/1\.1 404 /);
    expect(second).toMatch(/^HTTP\/1\.1 502 /);
    expect(third).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('answers 502 for a bare LF in the status line, a NUL or a field name that is not a token in a response head', async () => {
    for (const path of ['/status-lf', '/nul', '/bad-name']) {
      const res = await raw(gw.edge.ports.http, `GET ${path} HTTP/1.1\r\nHost: cloud.localhost\r\nConnection: close\r\n\r\n`, {
        waitMs: 500,
      });
      expect(res.text, path).toMatch(/^HTTP\/1\.1 502 /);
    }
  });

  it("drops a client's Forwarded header (RFC 7239): like X-Forwarded-*, only the gateway may say where a request came from", async () => {
    upstream.clearReceived();
    const res = await raw(
      gw.edge.ports.http,
      'GET /fwd HTTP/1.1\r\nHost: cloud.localhost\r\nForwarded: for=10.0.0.1;proto=https\r\nConnection: close\r\n\r\n',
      {
        waitMs: 500,
      },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.received).toMatch(/^GET \/fwd /);
    expect(upstream.received).not.toMatch(/forwarded: for=10/i);
  });

  it('forwards 1xx to HTTP/1.1 clients only (RFC 9110 §15.2)', async () => {
    const http11 = await raw(gw.edge.ports.http, 'GET /early HTTP/1.1\r\nHost: cloud.localhost\r\nConnection: close\r\n\r\n', {
      waitMs: 500,
    });
    expect(http11.text).toMatch(/^HTTP\/1\.1 103 [\s\S]*HTTP\/1\.1 200 OK/);
    const http10 = await raw(gw.edge.ports.http, 'GET /early HTTP/1.0\r\nHost: cloud.localhost\r\n\r\n', { waitMs: 500 });
    expect(http10.text).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('refuses TRACE with 405 instead of reflecting the request (cookies included) back', async () => {
    upstream.clearReceived();
    const res = await raw(gw.edge.ports.http, 'TRACE / HTTP/1.1\r\nHost: cloud.localhost\r\nCookie: token=secret\r\n\r\n', { waitMs: 500 });
    expect(res.text).toMatch(/^HTTP\/1\.1 405 /);
    expect(bodyOf(res.text)).toEqual({ error: 'method not allowed (CONNECT and TRACE are refused)', code: 'method_not_allowed' });
    expect(upstream.received).toBe('');
  });

  it('answers 501 for a transfer coding other than chunked alone, and closes: it could not find where the body ends', async () => {
    upstream.clearReceived();
    const res = await raw(
      gw.edge.ports.http,
      'POST / HTTP/1.1\r\nHost: cloud.localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n',
      {
        waitMs: 500,
      },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 501 /);
    expect(bodyOf(res.text)).toEqual({ error: 'transfer coding not implemented', code: 'not_implemented' });
    expect(res.closed).toBe(true);
    expect(upstream.received).toBe('');
  });

  it('refuses CONNECT: the gateway is not a forward proxy', async () => {
    const res = await raw(gw.edge.ports.http, 'CONNECT cloud.localhost:443 HTTP/1.1\r\nHost: cloud.localhost:443\r\n\r\n', { waitMs: 500 });
    expect(res.text).toMatch(/^HTTP\/1\.1 (400|405) /);
    expect(res.closed).toBe(true);
  });
});
