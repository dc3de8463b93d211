import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responsesOf, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

const HOST = 'files.cloud.localhost';

function post(bodyLength: number): Buffer {
  const head = `POST /upload HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: ${bodyLength}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(bodyLength, 0x61)]);
}

describe('edge request bodies under upstream backpressure', () => {
  let up: Upstream;
  let gw: TestEdge;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(`got ${n}`));
    });
    gw = await startTestEdge([{ host: HOST, pathPrefix: '/', target: up.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    await up.close();
  });

  it('reads the next request on a connection it stopped reading while the last body went upstream', async () => {
    const socket = connect(gw.edge.ports.http, '127.0.0.1');
    await once(socket, 'connect');
    const next = responsesOf(socket);
    try {
      // The first bytes go through protocol detection; the reads after it start at 4 KiB.
      socket.write(`GET /first HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      expect(await next()).toMatch(/^HTTP\/1\.1 200 [\s\S]*got 0$/);
      // A full 4 KiB read: from here on the connection reads up to 64 KiB at a time.
      socket.write(post(50 * 1024));
      expect(await next()).toMatch(/^HTTP\/1\.1 200 [\s\S]*got 51200$/);
      // Head and body in one read, written upstream in one corked pair of writes: more than the upstream socket's
      // high-water mark, so the edge stops reading the client until the exchange is over.
      socket.write(post(30 * 1024));
      expect(await next()).toMatch(/^HTTP\/1\.1 200 [\s\S]*got 30720$/);
      // The request after it must still be read and answered on the same connection.
      socket.write(`GET /after HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      expect(await next()).toMatch(/^HTTP\/1\.1 200 [\s\S]*got 0$/);
    } finally {
      socket.destroy();
    }
  });
});
