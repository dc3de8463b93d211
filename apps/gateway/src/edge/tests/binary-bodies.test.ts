import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/**
 * Bodies go through the edge byte for byte, whichever way it copies them: a head and a body that arrive in one read
 * of up to 4 KiB are written on as one latin1 string (heads.ts), larger ones as buffers. Every byte value must
 * survive both, request and response.
 */
describe('edge: binary bodies', () => {
  let up: Upstream;
  let gw: TestEdge;

  beforeAll(async () => {
    // Echoes the request body with a Content-Length, as one write: head and body reach the edge in one read.
    up = await startUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
        res.end(body);
      });
    });
    gw = await startTestEdge([{ host: 'echo.cloud.localhost', pathPrefix: '/', target: up.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
  });

  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const cases: Array<[string, Buffer]> = [
    ['every byte value', everyByte],
    ['3 KiB of random bytes (with its head, one read of up to 4 KiB)', Buffer.concat([everyByte, randomBytes(3 * 1024 - 256)])],
    ['6 KiB of random bytes (beyond the text search)', Buffer.concat([everyByte, randomBytes(6 * 1024 - 256)])],
  ];

  for (const [name, body] of cases) {
    it(`sends and answers ${name} unchanged`, async () => {
      const head = `POST /echo HTTP/1.1\r\nHost: echo.cloud.localhost\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
      const res = await raw(gw.edge.ports.http, Buffer.concat([Buffer.from(head, 'latin1'), body]));
      const bytes = Buffer.from(res.text, 'latin1');
      const headEnd = bytes.indexOf('\r\n\r\n');
      expect(bytes.subarray(0, headEnd).toString('latin1')).toMatch(
        new RegExp(`^HTTP/1\\.1 200 [^]*\\r\\ncontent-length: ${body.length}\\r\\n`, 'i'),
      );
      expect(bytes.subarray(headEnd + 4).equals(body)).toBe(true);
    });
  }
});
