import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../wait-until';
import { bodyOf, startTestEdge, startUpstream, type TestEdge } from './harness';

/** Opens a connection, sends `head`, and collects the answer; `send` keeps writing body bytes its own way. */
function client(port: number, head: string): { socket: Socket; text: () => string } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
  socket.on('error', () => undefined);
  socket.write(head);
  return { socket, text: () => text };
}

/**
 * Issue 14 item 3: each body byte reset the idle timer, so a body at 1 byte per interval held a client slot and an
 * upstream connection forever. A minimum body rate (after a grace period) ends it with 408; time the gateway
 * itself spent not reading because the upstream was slow is not the client's (504 instead).
 */
describe('edge request body deadlines', () => {
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let deaf: Server;
  const deafSockets: Socket[] = [];
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    // Accepts and never reads nor answers: the gateway's writes back up and it stops reading the client.
    deaf = createServer((s) => {
      s.pause();
      s.on('error', () => undefined);
      deafSockets.push(s);
    });
    await new Promise<void>((r) => deaf.listen(0, '127.0.0.1', r));
    gw = await startTestEdge(
      [
        { host: 'cloud.localhost', pathPrefix: '/', target: upstream.url, stripPrefix: false },
        {
          host: 'deaf.cloud.localhost',
          pathPrefix: '/',
          target: `http://127.0.0.1:${(deaf.address() as { port: number }).port}`,
          stripPrefix: false,
        },
      ],
      {
        GATEWAY_IDLE_TIMEOUT_MS: 600,
        GATEWAY_BODY_MIN_BYTES_PER_SECOND: 100,
        GATEWAY_BODY_RATE_GRACE_MS: 500,
        GATEWAY_UPSTREAM_TIMEOUT_MS: 2_000,
      },
    );
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
    for (const s of deafSockets) s.destroy();
    deaf.close();
  });

  it('answers 408 to a body trickling below the minimum rate, though each byte comes before the idle timeout', async () => {
    const c = client(gw.edge.ports.http, 'POST /slow HTTP/1.1\r\nHost: cloud.localhost\r\nContent-Length: 1000\r\n\r\n');
    // 5 bytes/s, a byte every 200 ms: never idle for 600 ms.
    const drip = setInterval(() => c.socket.writable && c.socket.write('a'), 200);
    try {
      await waitUntil(() => c.text().startsWith('HTTP/1.1 '), 8_000);
      expect(c.text()).toMatch(/^HTTP\/1\.1 408 /);
      expect(bodyOf(c.text())).toEqual({ error: 'request body not received in time', code: 'request_timeout' });
    } finally {
      clearInterval(drip);
      c.socket.destroy();
    }
  });

  it('accepts a body that keeps to the rate', async () => {
    const c = client(
      gw.edge.ports.http,
      'POST /steady HTTP/1.1\r\nHost: cloud.localhost\r\nContent-Length: 300\r\nConnection: close\r\n\r\n',
    );
    // 500 bytes/s in 50-byte pieces, over 0.6 s: longer than the grace period, above the floor.
    let sent = 0;
    const pump = setInterval(() => {
      if (sent < 300) c.socket.write('b'.repeat(50));
      sent += 50;
    }, 100);
    try {
      await waitUntil(() => c.text().includes('\r\n\r\n'), 8_000);
      expect(c.text()).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      clearInterval(pump);
      c.socket.destroy();
    }
  });

  it('answers 504, not 408, when the gateway stopped reading the body because the upstream does not read it', async () => {
    const size = 64 * 1024 * 1024;
    const c = client(gw.edge.ports.http, `POST /upload HTTP/1.1\r\nHost: deaf.cloud.localhost\r\nContent-Length: ${size}\r\n\r\n`);
    c.socket.write(Buffer.alloc(size, 0x63));
    try {
      await waitUntil(() => c.text().startsWith('HTTP/1.1 '), 10_000);
      expect(c.text()).toMatch(/^HTTP\/1\.1 504 /);
      expect((bodyOf(c.text()) as { code: string }).code).toBe('gateway_timeout');
    } finally {
      c.socket.destroy();
    }
  });
});
