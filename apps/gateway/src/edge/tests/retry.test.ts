import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startRawUpstream, startTestEdge, type TestEdge } from './harness';

/**
 * A pooled upstream connection that closes under a request: body-less requests are replayed once on a
 * fresh connection, but never a non-idempotent one (RFC 9110 §9.2.2): the upstream may have acted on it.
 */
describe('edge retry on a pooled connection that fails', () => {
  let upstream: Awaited<ReturnType<typeof startRawUpstream>>;
  let gw: TestEdge;
  const seen: string[] = [];

  beforeAll(async () => {
    const requestsOn = new WeakMap<object, number>();
    upstream = await startRawUpstream((path, s) => {
      const n = (requestsOn.get(s) ?? 0) + 1;
      requestsOn.set(s, n);
      seen.push(path);
      // The second request on a connection: acted on (recorded), then the connection dies unanswered.
      if (n === 2) s.destroy();
      else s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    gw = await startTestEdge([
      { host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstream.port}`, stripPrefix: false },
    ]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.close();
  });

  it('replays an idempotent GET once on a fresh connection, with the same head', async () => {
    seen.length = 0;
    expect((await get(gw.edge.ports.http, 'cloud.localhost', '/warm')).status).toBe(200);
    upstream.clearReceived();
    expect((await get(gw.edge.ports.http, 'cloud.localhost', '/again')).status).toBe(200);
    expect(seen.filter((path) => path === '/again')).toHaveLength(2);
    // The first head went out as bytes (emitted-heads.ts), the replay as the string built for it: the same head,
    // the same request id and deadline.
    const heads = upstream.received.split('\r\n\r\n').filter((head) => head !== '');
    expect(heads).toHaveLength(2);
    expect(heads[0]).toMatch(/^GET \/again HTTP\/1\.1\r\n[^]*X-Request-ID: [0-9a-f]{12}-[0-9a-z]+\r\nX-Request-Deadline: \d+\r\n/);
    expect(heads[1]).toBe(heads[0]);
  });

  it('does not replay a POST: 502 instead of acting twice', async () => {
    seen.length = 0;
    expect((await get(gw.edge.ports.http, 'cloud.localhost', '/warm')).status).toBe(200);
    const res = await get(gw.edge.ports.http, 'cloud.localhost', '/restart', { method: 'POST', headers: { 'content-length': '0' } });
    expect(res.status).toBe(502);
    expect(seen.filter((path) => path === '/restart')).toHaveLength(1);
  });
});
