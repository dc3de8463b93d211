import { MAX_CLIENT_HEADER_LINES, SERVICE_MAX_HEADER_LINES } from '@edd/config';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, raw, startRawUpstream, startTestEdge, type TestEdge } from './harness';
import { FUZZ_SEED, int, pick, seededRandom } from './seeded-random';

const FORWARDING = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'x-request-id', 'x-request-deadline'];

/** `lines` header lines in all: Host, `extra`, padding and Connection. */
function paddedRequest(path: string, lines: number, extra = ''): string {
  let head = `GET ${path} HTTP/1.1\r\nHost: auth.cloud.localhost\r\n${extra}`;
  const have = 2 + extra.split('\r\n').filter(Boolean).length;
  for (let i = have; i < lines; i++) head += `X-Pad-${i}: p\r\n`;
  return `${head}Connection: close\r\n\r\n`;
}

/**
 * Issue 14 item 1: enough client headers pushed the gateway's forwarding headers past what a service keeps
 * (Node's maxHeadersCount), and /internal/* routes were reachable through the public gateway.
 */
describe('edge forwarding headers and internal routes', () => {
  let service: Server;
  let seen: IncomingHttpHeaders | undefined;
  let seenUrls: string[] = [];
  let rawUpstream: Awaited<ReturnType<typeof startRawUpstream>>;
  let gw: TestEdge;

  beforeAll(async () => {
    // A service as `serve()` configures it: header lines beyond the limit are dropped by Node.
    service = createServer((req, res) => {
      seen = req.headers;
      seenUrls.push(req.url ?? '');
      res.end('ok');
    });
    service.maxHeadersCount = SERVICE_MAX_HEADER_LINES;
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
    rawUpstream = await startRawUpstream((_path, s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    gw = await startTestEdge([
      { host: 'auth.cloud.localhost', pathPrefix: '/', target: url, stripPrefix: false },
      { host: 'cloud.localhost', pathPrefix: '/auth', target: url, stripPrefix: true },
      { host: 'raw.cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${rawUpstream.port}`, stripPrefix: false },
    ]);
  });
  afterAll(async () => {
    await gw.close();
    service.closeAllConnections();
    service.close();
    rawUpstream.close();
  });

  it('delivers every forwarding header with as many client header lines as it accepts', async () => {
    seen = undefined;
    const res = await raw(gw.edge.ports.http, paddedRequest('/api/users', MAX_CLIENT_HEADER_LINES, 'X-Service-Key: k\r\n'));
    expect(res.text).toMatch(/^HTTP\/1\.1 200 /);
    for (const name of FORWARDING) expect(seen?.[name], name).toBeDefined();
    expect(seen?.['x-forwarded-host']).toBe('auth.cloud.localhost');
  });

  it('answers 431 to one header line more, without reaching the service', async () => {
    seen = undefined;
    const res = await raw(gw.edge.ports.http, paddedRequest('/api/users', MAX_CLIENT_HEADER_LINES + 1, 'X-Service-Key: k\r\n'));
    expect(res.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(res.text)).toEqual({ error: 'request header fields too large', code: 'headers_too_large' });
    expect(res.closed).toBe(true);
    expect(seen).toBeUndefined();
  });

  it('counts the Host line it adds for an HTTP/1.0 absolute-form request without one', async () => {
    seen = undefined;
    let head = 'GET http://auth.cloud.localhost/api/users HTTP/1.0\r\n';
    for (let i = 0; i < MAX_CLIENT_HEADER_LINES; i++) head += `X-Pad-${i}: p\r\n`;
    const res = await raw(gw.edge.ports.http, `${head}\r\n`);
    expect(res.text).toMatch(/^HTTP\/1\.1 431 /);
    expect(seen).toBeUndefined();
  });

  it('puts its own forwarding headers first and exactly once, whatever copies the client sent', async () => {
    rawUpstream.clearReceived();
    const forged =
      'X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nX-Real-IP: 6.6.6.6\r\n' +
      'X-Request-ID: forged-1\r\nX-Request-ID: forged-2\r\nx-real-ip: 7.7.7.7\r\nForwarded: for=6.6.6.6\r\n' +
      'X-Request-Deadline: 99999999999999\r\n';
    const sentAt = Date.now();
    const res = await raw(gw.edge.ports.http, `GET /x HTTP/1.1\r\nHost: raw.cloud.localhost\r\n${forged}Connection: close\r\n\r\n`);
    expect(res.text).toMatch(/^HTTP\/1\.1 200 /);
    const lines = rawUpstream.received.split('\r\n');
    expect(lines.slice(1, 1 + FORWARDING.length).map((l) => l.slice(0, l.indexOf(':')).toLowerCase())).toEqual(FORWARDING);
    for (const name of [...FORWARDING, 'forwarded']) {
      expect(
        lines.filter((l) => l.toLowerCase().startsWith(`${name}:`)),
        name,
      ).toHaveLength(name === 'forwarded' ? 0 : 1);
    }
    expect(lines).toContain('X-Real-IP: 127.0.0.1');
    expect(lines).toContain('X-Forwarded-Proto: http');
    expect(lines).toContain('X-Forwarded-Host: raw.cloud.localhost');
    // When the gateway stops waiting (now + its upstream timeout, 30 s by default), never the client's value.
    const deadline = Number(lines.find((l) => l.startsWith('X-Request-Deadline: '))?.slice(20));
    expect(deadline).toBeGreaterThan(sentAt + 29_000);
    expect(deadline).toBeLessThan(Date.now() + 31_000);
  });

  it('never forwards a client-supplied X-Service-Key (a public request carries no service credential upstream)', async () => {
    rawUpstream.clearReceived();
    const keys = 'X-Service-Key: k1\r\nx-service-key: k2\r\nX-SERVICE-KEY:k3\r\nX-Service-Key: \t k4 \r\n';
    const head = `GET /x HTTP/1.1\r\nHost: raw.cloud.localhost\r\n${keys}Authorization: Bearer t\r\n`;
    // Twice on one connection: the second request's head is parsed the same way.
    const res = await raw(gw.edge.ports.http, `${head}\r\n${head}Connection: close\r\n\r\n`);
    expect(res.text.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    const received = rawUpstream.received.toLowerCase();
    expect(received.match(/^get \/x /gm)).toHaveLength(2);
    expect(received).not.toContain('service-key');
    expect(received).not.toMatch(/\bk[1-4]\b/);
    expect(received.match(/^authorization: bearer t\r$/gm)).toHaveLength(2);
  });

  it('refuses /internal/* on every routed host, however the path is spelled', async () => {
    seenUrls = [];
    const paths = [
      ['auth.cloud.localhost', '/internal/tickets/redeem'],
      ['auth.cloud.localhost', '/internal'],
      ['auth.cloud.localhost', '/INTERNAL/tickets/redeem'],
      ['auth.cloud.localhost', '/internal/x?y=1'],
      ['auth.cloud.localhost', '//internal/x'],
      ['auth.cloud.localhost', '/./internal/x'],
      ['auth.cloud.localhost', '/a/../internal/x'],
      ['auth.cloud.localhost', '/%69nternal/x'],
      ['auth.cloud.localhost', '/%2e/internal/x'],
      ['cloud.localhost', '/auth/internal/tickets/redeem'], // the prefix is stripped: the service would see /internal/...
      ['nowhere.localhost', '/internal/x'],
    ];
    for (const [host, path] of paths) {
      const res = await raw(
        gw.edge.ports.http,
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Service-Key: k\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        {
          waitMs: 500,
        },
      );
      expect(res.text, `${host}${path}`).toMatch(/^HTTP\/1\.1 404 /);
      expect((bodyOf(res.text) as { code: string }).code).toBe('no_route');
    }
    expect(seenUrls).toEqual([]);
  });

  it('still serves paths that only look similar', async () => {
    seenUrls = [];
    // Backslash runs before a byte no host name may hold once made the internal-path check throw: the client lost
    // its connection without an answer.
    const paths = ['/internals', '/api/internal/x', '/internal-docs', '/\\\\%25', '/\\/%'];
    for (const path of paths) {
      const res = await raw(gw.edge.ports.http, `GET ${path}?n HTTP/1.1\r\nHost: auth.cloud.localhost\r\nConnection: close\r\n\r\n`);
      expect(res.text, path).toMatch(/^HTTP\/1\.1 200 /);
    }
    expect(seenUrls).toEqual(paths.map((path) => `${path}?n`));
  });

  it('answers every request-target the request line allows, odd spellings included, and never drops the connection', async () => {
    // Pieces that path normalisation and routing care about: separators, escapes (also malformed), dot segments.
    const pieces = ['/', '\\', '%', '%2f', '%5c', '%2e', '%zz', '.', '..', 'internal', 'auth', 'a', '?', '"', '~', ':', '@'];
    const random = seededRandom(FUZZ_SEED);
    const targets = Array.from({ length: 300 }, () => {
      let target = pick(random, ['/', '\\', '//']);
      for (let n = 1 + int(random, 6); n > 0; n--) target += pick(random, pieces);
      return [pick(random, ['auth.cloud.localhost', 'cloud.localhost', 'nowhere.localhost']), target] as const;
    });
    for (let i = 0; i < targets.length; i += 20) {
      const answers = await Promise.all(
        targets.slice(i, i + 20).map(async ([host, target]) => {
          const res = await raw(gw.edge.ports.http, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
          return { request: `${host} ${target} (EDGE_FUZZ_SEED=${FUZZ_SEED})`, text: res.text };
        }),
      );
      for (const { request, text } of answers) expect(text, request).toMatch(/^HTTP\/1\.1 (200|400|404) /);
    }
    expect(gw.logLines.filter((line) => line.includes('edge connection failed'))).toEqual([]);
  });
});
