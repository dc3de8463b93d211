import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startTestEdge, type TestEdge } from './harness';

/**
 * Issue 14 item 7: the gateway and a strict upstream (Node's llhttp, what every service runs) must agree on
 * where each message ends. Every case goes through the gateway to a Node server that echoes what it parsed;
 * the upstream must never refuse what the gateway forwarded, and must never parse a request whose answer the
 * client did not get (a smuggled one).
 */
const HEAD = 'POST /m HTTP/1.1\r\nHost: cloud.localhost\r\n';
const CHUNKED = `${HEAD}Transfer-Encoding: chunked\r\n\r\n`;
// no-cache: a cached answer would not reach the upstream.
const NEXT = 'GET /next HTTP/1.1\r\nHost: cloud.localhost\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n';

/** Forwarded as one message of body "hello", then /next. */
const AGREED: Record<string, string> = {
  'plain Content-Length': `${HEAD}Content-Length: 5\r\n\r\nhello`,
  'Content-Length with SP/HTAB around it': `${HEAD}Content-Length: \t5 \t\r\n\r\nhello`,
  'identical duplicate Content-Length lines': `${HEAD}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello`,
  'identical duplicates, one with OWS': `${HEAD}Content-Length: 5\r\ncontent-length:5 \r\n\r\nhello`,
  chunked: `${CHUNKED}5\r\nhello\r\n0\r\n\r\n`,
  'chunked in pieces with leading zeros': `${CHUNKED}00002\r\nhe\r\n3\r\nllo\r\n0000\r\n\r\n`,
  'chunk extensions': `${CHUNKED}5;a=b;c\r\nhello\r\n0;x="y z"\r\n\r\n`,
  'chunked with a trailer': `${CHUNKED}5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n`,
};

/** Refused by the gateway with 400, before anything reaches the upstream. */
const REFUSED: Record<string, string> = {
  'Content-Length after VT': `${HEAD}Content-Length: \x0b5\r\n\r\nhello`,
  'Content-Length before FF': `${HEAD}Content-Length: 5\x0c\r\n\r\nhello`,
  'Content-Length after NBSP': `${HEAD}Content-Length: \xa05\r\n\r\nhello`,
  'Content-Length before NBSP': `${HEAD}Content-Length: 5\xa0\r\n\r\nhello`,
  'Content-Length with a sign': `${HEAD}Content-Length: +5\r\n\r\nhello`,
  'Content-Length list': `${HEAD}Content-Length: 5, 5\r\n\r\nhello`,
  'different duplicate Content-Length lines': `${HEAD}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`,
  'VT in another field': `${HEAD}X-A: a\x0bb\r\nContent-Length: 5\r\n\r\nhello`,
  'Content-Length and Transfer-Encoding': `${HEAD}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  'chunk size then junk': `${CHUNKED}5 zz\r\nhello\r\n0\r\n\r\n`,
  'chunk size then a space': `${CHUNKED}5 \r\nhello\r\n0\r\n\r\n`,
  'whitespace before an extension (llhttp refuses it)': `${CHUNKED}5 ;a=b\r\nhello\r\n0\r\n\r\n`,
  'tab before an extension': `${CHUNKED}5\t;a\r\nhello\r\n0\r\n\r\n`,
  'chunk size with 0x': `${CHUNKED}0x5\r\nhello\r\n0\r\n\r\n`,
  'chunk size with a sign': `${CHUNKED}+5\r\nhello\r\n0\r\n\r\n`,
  'extension with a space inside': `${CHUNKED}5;a b\r\nhello\r\n0\r\n\r\n`,
  'extension with spaces around =': `${CHUNKED}5;a = b\r\nhello\r\n0\r\n\r\n`,
  'empty extension': `${CHUNKED}5;\r\nhello\r\n0\r\n\r\n`,
  'unterminated quoted extension': `${CHUNKED}5;a="b\r\nhello\r\n0\r\n\r\n`,
  'control byte in an extension': `${CHUNKED}5;a=\x01\r\nhello\r\n0\r\n\r\n`,
  'bare LF after the chunk size': `${CHUNKED}5\nhello\r\n0\r\n\r\n`,
  'trailer line without a colon': `${CHUNKED}5\r\nhello\r\n0\r\nbad trailer\r\n\r\n`,
};

describe('edge and llhttp agree on message boundaries', () => {
  let upstream: Server;
  let parsed: string[] = [];
  let refusals: string[] = [];
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.setEncoding('latin1');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const line = `${req.method} ${req.url} ${JSON.stringify(body)}`;
        parsed.push(line);
        res.end(line);
      });
    });
    upstream.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      refusals.push(err.code ?? err.message);
      socket.destroy();
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const port = (upstream.address() as AddressInfo).port;
    gw = await startTestEdge([{ host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${port}`, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.closeAllConnections();
    upstream.close();
  });

  const through = async (bytes: string) => {
    parsed = [];
    refusals = [];
    const res = await raw(gw.edge.ports.http, bytes + NEXT, { waitMs: 1_500 });
    return { text: res.text, parsed: [...parsed], refusals: [...refusals] };
  };

  for (const [name, bytes] of Object.entries(AGREED)) {
    it(`forwards: ${name}`, async () => {
      const r = await through(bytes);
      expect(r.refusals, name).toEqual([]);
      expect(r.parsed, name).toEqual(['POST /m "hello"', 'GET /next ""']);
      // Every request the upstream parsed was answered to the client, in order.
      expect(r.text.match(/HTTP\/1\.1 200 /g), name).toHaveLength(2);
      expect(r.text.indexOf('POST /m "hello"')).toBeLessThan(r.text.indexOf('GET /next ""'));
    });
  }

  for (const [name, bytes] of Object.entries(REFUSED)) {
    it(`refuses: ${name}`, async () => {
      const r = await through(bytes);
      expect(r.refusals, name).toEqual([]);
      expect(
        r.parsed.filter((line) => !line.startsWith('POST /m ')),
        name,
      ).toEqual([]);
      expect(r.text, name).toMatch(/HTTP\/1\.1 400 [^]*"code":"invalid_request"/);
      expect(r.text, name).not.toContain('GET /next');
    });
  }
});
