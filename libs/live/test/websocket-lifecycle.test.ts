// What keeps a server healthy with many long-lived sockets: pings, the per-client send bound, message size, shutdown.
import { serve } from '@edd/http';
import { createLogger } from '@edd/logger';
import express from 'express';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { attachLive, createLiveAuth, createLiveHub } from '../src/index';
import { createAuthClient } from '@edd/auth-client';
import { closedWith, expectOpen, expectRefused, openSse, rawWebSocket, socketClosed, waitUntil } from './support/clients';
import { DOMAIN } from './support/live-service';
import { alice, liveTestSession } from './support/session';

const live = liveTestSession();

describe('pings', () => {
  it('terminates a peer that never answers pings and keeps one that does', async () => {
    // Short enough for a quick test, long enough for a loaded machine to answer a ping within one period.
    const svc = await live.start({ ws: { pingIntervalMs: 200 } });
    const healthy = await expectOpen(svc.wsUrl(), live.bearer);
    let pings = 0;
    healthy.ws.on('ping', () => (pings += 1));
    const dead = await rawWebSocket(svc.port, '/api/live/news', live.bearer);
    dead.resume(); // reads (and drops) frames, answers nothing
    await waitUntil(() => svc.sockets.length === 2);
    const deadSide = svc.sockets[1]!;

    await socketClosed(dead);
    await waitUntil(() => svc.endpoint.sockets.size === 1);
    expect(deadSide.isOpen).toBe(false);
    // The one that answers survives ping rounds after that.
    const seen = pings;
    await waitUntil(() => pings >= seen + 2);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    expect([...svc.endpoint.sockets][0]?.principal.userId).toBe(alice.userId);
    healthy.ws.terminate();
  });
});

describe('backpressure', () => {
  it('drops a client that stopped reading once its queue passes the bound; the queue never grows past it', async () => {
    const bound = 256 * 1024;
    const svc = await live.start({ ws: { maxBufferedBytes: bound, dropGraceMs: 50 } });
    const stuck = await rawWebSocket(svc.port, '/api/live/news', live.bearer);
    stuck.pause(); // stops reading: the kernel buffers fill, then this process's queue would
    await waitUntil(() => svc.sockets.length === 1);
    const serverSide = svc.sockets[0]!;
    const message = 'x'.repeat(64 * 1024);
    let accepted = 0;
    let maxQueued = 0;
    // 64 MiB at most: far more than loopback kernel buffers hold, so an unbounded sender would be caught here.
    for (let i = 0; i < 1024; i += 1) {
      if (!serverSide.send(message)) break;
      accepted += 1;
      maxQueued = Math.max(maxQueued, serverSide.bufferedAmount);
    }
    expect(accepted).toBeLessThan(1024);
    expect(maxQueued).toBeLessThanOrEqual(bound);
    expect(serverSide.send('more')).toBe(false);
    // Cut after the grace: the server forgets it, and the memory it held is released.
    await new Promise<void>((resolve) => serverSide.raw.once('close', () => resolve()));
    expect(svc.endpoint.sockets.size).toBe(0);
    stuck.destroy();
  });

  it('a client that reads keeps receiving everything', async () => {
    const svc = await live.start({ ws: { maxBufferedBytes: 256 * 1024 } });
    const { ws } = await expectOpen(svc.wsUrl(), live.bearer);
    let received = 0;
    ws.on('message', () => (received += 1));
    const serverSide = svc.sockets[0]!;
    const message = 'y'.repeat(16 * 1024);
    let sent = 0;
    while (sent < 200) {
      if (serverSide.bufferedAmount > 128 * 1024) {
        await waitUntil(() => serverSide.bufferedAmount === 0);
        continue;
      }
      expect(serverSide.send(message)).toBe(true);
      sent += 1;
    }
    await waitUntil(() => received === 200);
    ws.terminate();
  });
});

describe('messages', () => {
  it('closes a client that sends a message over maxPayload with 1009', async () => {
    const svc = await live.start({ ws: { maxPayload: 1024 } });
    const { ws } = await expectOpen(svc.wsUrl(), live.bearer);
    const echoed = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    ws.send('small');
    expect(await echoed).toBe('echo:small');
    const closed = closedWith(ws);
    ws.send('z'.repeat(4096));
    expect((await closed).code).toBe(1009);
  });
});

describe('shutdown', () => {
  it('closes every client with 1001 and settles once they are gone, then refuses new upgrades with 503', async () => {
    const svc = await live.start();
    const clients = await Promise.all([1, 2, 3].map(() => expectOpen(svc.wsUrl(), live.bearer)));
    const closes = clients.map(({ ws }) => closedWith(ws));
    // A deadline far beyond the test timeout: resolving at all proves it did not wait for it.
    await svc.hub.close({ deadlineMs: 600_000 });
    for (const close of await Promise.all(closes)) expect(close).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(svc.hub.connections).toBe(0);
    expect(await expectRefused(svc.wsUrl(), live.bearer)).toMatchObject({ status: 503, body: { error: 'server shutting down' } });
  });

  it('cuts a client that does not answer the close frame at the deadline', async () => {
    const svc = await live.start();
    const mute = await rawWebSocket(svc.port, '/api/live/news', live.bearer);
    mute.resume();
    await waitUntil(() => svc.hub.connections === 1);
    await svc.hub.close({ deadlineMs: 50 });
    await socketClosed(mute);
    expect(svc.hub.connections).toBe(0);
  });

  it('lets the HTTP drain finish at once instead of holding it for the whole grace period', async () => {
    const silent = createLogger({ service: 'live-test', stream: new Writable({ write: (_c, _e, done) => done() }) });
    const client = createAuthClient({ authBaseUrl: live.auth.url, serviceKey: live.auth.serviceKey });
    const hub = createLiveHub();
    hub.websocket({
      path: '/ws',
      auth: createLiveAuth({ client, domain: DOMAIN }),
      onConnection: (socket) => void socket.send({ hi: true }),
    });
    const app = express();
    app.get('/events', (req, res) => void hub.sse(req, res).send('hi', 'there'));
    // A grace period far beyond the test timeout: the drain must end because the live connections closed.
    const running = await serve(app, { port: 0, host: '127.0.0.1', logger: silent, handleSignals: false, graceMs: 600_000 });
    attachLive(running.server, hub);
    const { ws } = await expectOpen(`ws://127.0.0.1:${running.port}/ws`, live.bearer);
    const sse = await openSse(`http://127.0.0.1:${running.port}/events`);
    await sse.until((text) => text.includes('event: hi'));
    await waitUntil(() => hub.connections === 2);
    const wsClosed = closedWith(ws);

    await Promise.all([hub.close(), running.close()]);
    expect((await wsClosed).code).toBe(1001);
    await sse.finished;
    expect(sse.ended).toBe(true);
    await client.close();
  });
});
