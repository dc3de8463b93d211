// Server-sent events on real sockets: framing, heartbeats, Last-Event-ID, auth, slow readers, shutdown.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openSse, socketClosed, waitUntil } from './support/clients';
import { alice, liveTestSession } from './support/session';

const live = liveTestSession();

describe('SSE', () => {
  it('answers with the event-stream headers and delivers events, ids and multi-line data', async () => {
    const svc = await live.start();
    const sse = await openSse(svc.httpUrl(), live.bearer);
    expect(sse.response.status).toBe(200);
    expect(sse.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(sse.response.headers.get('cache-control')).toBe('no-cache');
    expect(sse.response.headers.get('x-accel-buffering')).toBe('no');
    await sse.until((text) => text.includes('event: hello'));
    expect(sse.text).toContain(`event: hello\ndata: {"userId":"${alice.userId}","lastEventId":null}\n\n`);

    const stream = svc.streams[0]!;
    expect(stream.send('line', 'first\nsecond', '41')).toBe(true);
    expect(stream.send('json', { n: 1 }, '42')).toBe(true);
    await sse.until((text) => text.includes('id: 42'));
    expect(sse.text).toContain('id: 41\nevent: line\ndata: first\ndata: second\n\n');
    expect(sse.text).toContain('id: 42\nevent: json\ndata: {"n":1}\n\n');
    // A line break in a name would let data forge fields.
    expect(() => stream.send('a\nevent: forged', 'x')).toThrow();
    await sse.cancel();
  });

  it('sends comment heartbeats and exposes Last-Event-ID', async () => {
    const svc = await live.start({ sse: { heartbeatMs: 20 } });
    const sse = await openSse(svc.httpUrl(), { ...live.bearer, 'last-event-id': '17' });
    await sse.until((text) => text.includes('"lastEventId":"17"'));
    await sse.until((text) => text.split(':\n\n').length > 3);
    expect(svc.streams[0]!.lastEventId).toBe('17');
    await sse.cancel();
  });

  it('authenticates like the WebSocket upgrade: bearer, cookie, ticket; refuses anonymous and foreign origins', async () => {
    const svc = await live.start();
    const { token } = await live.auth.issueSession(alice);
    const byCookie = await openSse(svc.httpUrl(), { cookie: `token=${token}`, origin: 'https://cloud.localhost' });
    expect(byCookie.response.status).toBe(200);
    const ticket = live.auth.issueTicket(alice);
    const byTicket = await openSse(svc.httpUrl(`/api/events?ticket=${ticket}`));
    expect(byTicket.response.status).toBe(200);
    const reused = await fetch(svc.httpUrl(`/api/events?ticket=${ticket}`));
    expect(reused.status).toBe(401);
    expect(await reused.json()).toEqual({ error: 'invalid or expired ticket', code: 'invalid_credential' });
    const anonymous = await fetch(svc.httpUrl());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    const foreign = await fetch(svc.httpUrl(), { headers: { cookie: `token=${token}`, origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    await Promise.all([byCookie.cancel(), byTicket.cancel()]);
  });

  it('notices a client that went away and forgets its stream', async () => {
    const svc = await live.start();
    const sse = await openSse(svc.httpUrl(), live.bearer);
    await sse.until((text) => text.includes('event: hello'));
    const stream = svc.streams[0]!;
    let closed = false;
    stream.onClose(() => (closed = true));
    expect(svc.hub.connections).toBe(1);
    await sse.cancel();
    await waitUntil(() => closed);
    expect(stream.send('late', 'x')).toBe(false);
    expect(svc.hub.connections).toBe(0);
  });

  it('drops a reader that stopped reading once its queue passes the bound', async () => {
    const bound = 128 * 1024;
    const svc = await live.start({ sse: { maxBufferedBytes: bound } });
    const stuck = connect(svc.port, '127.0.0.1');
    stuck.on('error', () => undefined);
    stuck.write(`GET /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: ${live.bearer['authorization']}\r\n\r\n`);
    await waitUntil(() => svc.streams.length === 1);
    stuck.pause();
    const stream = svc.streams[0]!;
    const chunk = 'x'.repeat(32 * 1024);
    let accepted = 0;
    let maxQueued = 0;
    // 128 MiB at most: far more than loopback kernel buffers hold, so an unbounded sender would be caught here.
    for (let i = 0; i < 4096 && stream.send('bulk', chunk); i += 1) {
      accepted += 1;
      maxQueued = Math.max(maxQueued, stream.bufferedAmount);
    }
    expect(maxQueued).toBeLessThanOrEqual(bound);
    expect(accepted).toBeLessThan(4096);
    expect(stream.closed).toBe(true);
    await waitUntil(() => svc.hub.connections === 0);
    stuck.destroy();
    await socketClosed(stuck);
  });

  it('ends every stream at shutdown, and a stream opened while closing ends at once', async () => {
    const svc = await live.start();
    const streams = await Promise.all([1, 2].map(() => openSse(svc.httpUrl(), live.bearer)));
    await Promise.all(streams.map((s) => s.until((text) => text.includes('event: hello'))));
    await svc.hub.close({ deadlineMs: 600_000 });
    await Promise.all(streams.map((s) => s.finished));
    for (const s of streams) expect(s.ended).toBe(true);
    expect(svc.hub.connections).toBe(0);
    const late = await openSse(svc.httpUrl(), live.bearer);
    await late.finished;
    expect(late.ended).toBe(true);
  });
});
