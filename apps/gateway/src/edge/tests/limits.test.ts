import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, get, raw, startTestEdge, startUpstream, type TestEdge } from './harness';

/** Resource limits against hostile clients and upstreams, and malformed TLS that must never crash the process. */
describe('edge resource limits', () => {
  let upstream: Server;
  let upstreamPort = 0;
  let received = '';
  let gw: TestEdge;

  beforeAll(async () => {
    upstream = createServer((s) => {
      s.on('data', (c: Buffer) => {
        received += c.toString('latin1');
        const text = c.toString('latin1');
        // A head that never ends, in pieces.
        if (text.startsWith('GET /endless-head ')) {
          s.write('HTTP/1.1 200 OK\r\n');
          const timer = setInterval(() => s.write(`X-Filler: ${'a'.repeat(4000)}\r\n`), 1);
          s.on('close', () => clearInterval(timer));
        } else if (text.startsWith('GET /ok ')) s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    upstreamPort = (upstream.address() as { port: number }).port;
    gw = await startTestEdge(
      [{ host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstreamPort}`, stripPrefix: false }],
      {
        GATEWAY_IDLE_TIMEOUT_MS: 600,
        GATEWAY_UPSTREAM_TIMEOUT_MS: 3_000,
      },
    );
  });
  afterAll(async () => {
    await gw.close();
    upstream.close();
  });

  it('answers 408 and closes when a request body stalls (slow body)', async () => {
    const started = Date.now();
    const res = await raw(gw.edge.ports.http, 'POST /ok HTTP/1.1\r\nHost: cloud.localhost\r\nContent-Length: 10\r\n\r\na', {
      waitMs: 3_000,
    });
    expect(res.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(res.text)).toEqual({ error: 'request body not received in time', code: 'request_timeout' });
    expect(res.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('answers 502 when the upstream sends a response head that never ends', async () => {
    const res = await raw(gw.edge.ports.http, 'GET /endless-head HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n', { waitMs: 2_500 });
    expect(res.text).toMatch(/^HTTP\/1\.1 502 /);
    expect(res.text).not.toContain('X-Filler');
  });

  it('does not read requests pipelined after a 400', async () => {
    received = '';
    const res = await raw(
      gw.edge.ports.http,
      'GET / HTTP/1.1\r\nHost : cloud.localhost\r\n\r\nGET /ok HTTP/1.1\r\nHost: cloud.localhost\r\n\r\n',
      {
        waitMs: 500,
      },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(res.text.match(/HTTP\/1\.1/g)).toHaveLength(1);
    expect(res.closed).toBe(true);
    expect(received).toBe('');
  });

  it('drops a client that stops reading a response (slow read), freeing the upstream connection', async () => {
    let upstreamClosed = false;
    const streamer = await startUpstream((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      res.on('close', () => (upstreamClosed = true));
      pump();
    });
    gw.routes.replace([
      { host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstreamPort}`, stripPrefix: false, priority: 0 },
      { host: 'stream.cloud.localhost', pathPrefix: '/', target: streamer.url, stripPrefix: false, priority: 0 },
    ]);
    const client = connect(gw.edge.ports.http, '127.0.0.1', () => {
      client.write('GET / HTTP/1.1\r\nHost: stream.cloud.localhost\r\n\r\n');
      client.pause(); // never reads
    });
    client.on('error', () => undefined);
    const started = Date.now();
    while (!upstreamClosed && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 100));
    client.destroy();
    await streamer.close();
    expect(upstreamClosed).toBe(true);
  });

  it('answers every pipelined request after a local answer (404) in the same packet', async () => {
    const res = await raw(
      gw.edge.ports.http,
      'GET / HTTP/1.1\r\nHost: nowhere.localhost\r\n\r\nGET /ok HTTP/1.1\r\nHost: cloud.localhost\r\nConnection: close\r\n\r\n',
      { waitMs: 1_000 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 404 /);
    expect(res.text).toMatch(/HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nok$/);
    expect(res.closed).toBe(true);
  });

  it('does not answer pipelined requests faster than the client reads (cached 1 MB responses)', async () => {
    const big = await startUpstream((_req, res) => res.end(Buffer.alloc(1024 * 1024, 0x62)));
    gw.routes.replace([
      { host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstreamPort}`, stripPrefix: false, priority: 0 },
      { host: 'big.cloud.localhost', pathPrefix: '/', target: big.url, stripPrefix: false, priority: 0 },
    ]);
    expect((await get(gw.edge.ports.http, 'big.cloud.localhost', '/blob')).body).toHaveLength(1024 * 1024);
    const served = () => gw.metrics.finished.filter((f) => f.route === 'big.cloud.localhost/').length;
    const before = served();
    const client = connect(gw.edge.ports.http, '127.0.0.1', () => {
      client.pause(); // never reads: every answer would stay in the gateway's memory
      client.write('GET /blob HTTP/1.1\r\nHost: big.cloud.localhost\r\n\r\n'.repeat(200));
    });
    client.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 500));
    const answered = served() - before;
    client.destroy();
    await big.close();
    expect(answered).toBeLessThan(10);
  });

  it('survives malformed ClientHellos (truncated, huge lengths, random) and keeps serving', async () => {
    const hello = (body: Buffer): Buffer => {
      const record = Buffer.alloc(5 + body.length);
      record.writeUInt8(0x16, 0);
      record.writeUInt16BE(0x0301, 1);
      record.writeUInt16BE(body.length, 3);
      body.copy(record, 5);
      return record;
    };
    const handshake = Buffer.concat([Buffer.from([0x01, 0xff, 0xff, 0xff, 0x03, 0x03]), randomBytes(32), Buffer.from([0xff])]);
    const samples = [
      hello(handshake), // session id length beyond the record
      hello(Buffer.concat([handshake.subarray(0, 38), Buffer.from([0x00, 0xff, 0xff, 0x01, 0x00, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff])])), // huge lengths
      hello(Buffer.from([0x01])), // truncated at once
      Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01]), // claims a 64 KiB record
      ...Array.from({ length: 20 }, () => hello(Buffer.concat([Buffer.from([0x01]), randomBytes(200)]))),
    ];
    await Promise.all(
      samples.map(
        (bytes) =>
          new Promise<void>((resolve) => {
            const socket = connect(gw.edge.ports.http, '127.0.0.1', () => socket.end(bytes));
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
            socket.resume();
          }),
      ),
    );
    const res = await get(gw.edge.ports.http, 'cloud.localhost', '/ok');
    expect(res.status).toBe(200);
  });
});
