import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../wait-until';
import { bodyOf, get, raw, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

describe('edge failure handling', () => {
  let ok: Upstream;
  let slow: Upstream;
  let resetter: Server;
  let resetterPort = 0;
  let gw: TestEdge;
  let deadPort = 0;

  beforeAll(async () => {
    ok = await startUpstream((_req, res) => res.end('ok'));
    slow = await startUpstream(() => undefined); // never answers
    resetter = createServer((s) => s.on('data', () => s.resetAndDestroy()));
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    resetterPort = (resetter.address() as { port: number }).port;
    // A port nobody listens on: bind, read the number, close.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    gw = await startTestEdge(
      [
        { host: 'ok.cloud.localhost', pathPrefix: '/', target: ok.url, stripPrefix: false },
        { host: 'down.cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${deadPort}`, stripPrefix: false },
        { host: 'slow.cloud.localhost', pathPrefix: '/', target: slow.url, stripPrefix: false },
        { host: 'reset.cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${resetterPort}`, stripPrefix: false },
      ],
      { GATEWAY_UPSTREAM_TIMEOUT_MS: 600, GATEWAY_HEAD_TIMEOUT_MS: 500 },
    );
  });
  afterAll(async () => {
    await gw.close();
    await ok.close();
    await slow.close();
    resetter.close();
  });

  it('answers 502 quickly when the upstream refuses the connection', async () => {
    const started = Date.now();
    const res = await get(gw.edge.ports.http, 'down.cloud.localhost', '/');
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toEqual({ error: 'upstream unavailable (ECONNREFUSED)', code: 'bad_gateway' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 502 when the upstream resets the connection', async () => {
    const res = await get(gw.edge.ports.http, 'reset.cloud.localhost', '/');
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'bad_gateway' });
  });

  it('answers 504 when the upstream does not answer in time', async () => {
    const res = await get(gw.edge.ports.http, 'slow.cloud.localhost', '/');
    expect(res.status).toBe(504);
    expect(JSON.parse(res.body)).toEqual({ error: 'upstream timed out', code: 'gateway_timeout' });
  });

  it('says in a 504 to a POST or PATCH that the outcome is unknown (the service may still carry it out)', async () => {
    for (const method of ['POST', 'PATCH']) {
      const res = await get(gw.edge.ports.http, 'slow.cloud.localhost', '/things', { method, body: '{}' });
      expect(res.status, method).toBe(504);
      const body = JSON.parse(res.body) as { error: string; code: string };
      expect(body.code).toBe('gateway_timeout');
      expect(body.error).toMatch(/outcome is unknown/);
      expect(body.error).toMatch(/Idempotency-Key/);
    }
    for (const method of ['PUT', 'DELETE']) {
      const res = await get(gw.edge.ports.http, 'slow.cloud.localhost', '/things', { method, body: '{}' });
      expect(JSON.parse(res.body), method).toEqual({ error: 'upstream timed out', code: 'gateway_timeout' });
    }
  });

  it('answers 408 and closes when a head trickles in too slowly (slowloris)', async () => {
    const res = await raw(gw.edge.ports.http, 'GET / HTTP/1.1\r\nHost: ok.cloud.localhost\r\nX-A: 1\r\n', { waitMs: 3_000 });
    expect(res.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(res.text)).toEqual({ error: 'request head not received in time', code: 'request_timeout' });
    expect(res.closed).toBe(true);
  });

  it('closes garbage and truncated requests without crashing, then still serves', async () => {
    const garbage = await raw(gw.edge.ports.http, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a]));
    expect(garbage).toEqual({ text: '', closed: true });
    const lower = await raw(gw.edge.ports.http, 'get / HTTP/1.1\r\n\r\n');
    expect(lower.closed).toBe(true);
    // Truncated mid-head and mid-body: the client goes away; nothing must break.
    await raw(gw.edge.ports.http, 'GET / HTTP/1.1\r\nHost: ok.cl', { waitMs: 50 });
    await raw(gw.edge.ports.http, 'POST / HTTP/1.1\r\nHost: ok.cloud.localhost\r\nContent-Length: 100\r\n\r\nabc', { waitMs: 50 });
    await raw(gw.edge.ports.http, 'POST / HTTP/1.1\r\nHost: ok.cloud.localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', {
      waitMs: 500,
    });
    const res = await get(gw.edge.ports.http, 'ok.cloud.localhost', '/');
    expect(res.body).toBe('ok');
  });

  it('detects HTTP when the first bytes arrive one at a time', async () => {
    const res = await raw(gw.edge.ports.http, 'GET / HTTP/1.1\r\nHost: ok.cloud.localhost\r\nConnection: close\r\n\r\n', {
      byteByByte: true,
      waitMs: 5_000,
    });
    expect(res.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(res.text.endsWith('ok')).toBe(true);
  });

  it('hands SSH to the ssh handler with the first bytes replayed, byte by byte', async () => {
    const seen: string[] = [];
    gw.edge.sshHandler = (socket, first) => {
      seen.push(first.toString());
      socket.on('data', (c: Buffer) => seen.push(c.toString()));
      socket.resume();
      socket.end('SSH-2.0-test\r\n');
    };
    const res = await raw(gw.edge.ports.ssh, 'SSH-2.0-client\r\n', { byteByByte: true, waitMs: 3_000 });
    expect(res.text).toBe('SSH-2.0-test\r\n');
    expect(seen.join('')).toContain('SSH-');
  });

  it('hands a client waiting for the server to speak first on the SSH port to the ssh handler (ssh-keyscan)', async () => {
    const firstBytes: number[] = [];
    gw.edge.sshHandler = (socket, first) => {
      firstBytes.push(first.length);
      socket.resume();
      socket.end('SSH-2.0-test\r\n');
    };
    const res = await raw(gw.edge.ports.ssh, '', { waitMs: 4_000 });
    expect(res.text).toBe('SSH-2.0-test\r\n');
    expect(firstBytes).toEqual([0]);
  });

  it('closes a keep-alive connection left idle', async () => {
    const idle = await startTestEdge([{ host: 'ok.cloud.localhost', pathPrefix: '/', target: ok.url, stripPrefix: false }], {
      GATEWAY_IDLE_TIMEOUT_MS: 300,
    });
    const started = Date.now();
    const res = await raw(idle.edge.ports.http, 'GET / HTTP/1.1\r\nHost: ok.cloud.localhost\r\n\r\n', { waitMs: 5_000 });
    expect(res.text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(res.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
    await idle.close();
  });

  it('bounds the number of connections', async () => {
    const small = await startTestEdge([{ host: 'ok.cloud.localhost', pathPrefix: '/', target: ok.url, stripPrefix: false }], {
      GATEWAY_MAX_CONNECTIONS: 1,
    });
    const first = raw(small.edge.ports.http, 'GET / HTTP/1.1\r\nHost: ok.cloud.localhost\r\n', { waitMs: 400 });
    await waitUntil(() => small.metrics.open === 1); // the first connection holds the only slot
    const second = await raw(small.edge.ports.http, 'GET / HTTP/1.1\r\nHost: ok.cloud.localhost\r\n\r\n', { waitMs: 1_000 });
    expect(second).toEqual({ text: '', closed: true });
    await first;
    await small.close();
  });

  it('drains in-flight requests on close and refuses new ones', async () => {
    // The upstream holds the request until the edge is closing, so the request is surely in flight.
    let arrived: () => void = () => undefined;
    const reachedUpstream = new Promise<void>((resolve) => (arrived = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const delayed = await startUpstream((_req, res) => {
      arrived();
      void released.then(() => res.end('late'));
    });
    const edge = await startTestEdge([{ host: 'd.cloud.localhost', pathPrefix: '/', target: delayed.url, stripPrefix: false }]);
    const inFlight = get(edge.edge.ports.http, 'd.cloud.localhost', '/');
    await reachedUpstream;
    const closing = edge.edge.close(5_000);
    await expect(get(edge.edge.ports.http, 'd.cloud.localhost', '/')).rejects.toThrow();
    release();
    expect((await inFlight).body).toBe('late');
    await closing;
    await delayed.close();
  });
});
