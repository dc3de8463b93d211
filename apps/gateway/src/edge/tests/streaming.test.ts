import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { raw, startTestEdge, startUpstream, type TestEdge } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

describe('edge streaming: WebSocket, SSE, 100-continue', () => {
  let up: Upstream;
  let wss: WebSocketServer;
  let gw: TestEdge;
  let sendNext: (() => void) | undefined;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        let n = 0;
        const send = () => {
          if (n >= 3) return;
          n++;
          res.write(`data: event ${n}\n\n`);
          if (n === 3) res.end();
        };
        // The next event is written only when the test has received the previous one: no buffering allowed.
        sendNext = send;
        send();
        return;
      }
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(`got ${n}`));
    });
    wss = new WebSocketServer({ server: up.server });
    wss.on('connection', (socket, req) => {
      socket.send(`hello ${req.headers['x-forwarded-for']}`);
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    });
    gw = await startTestEdge([{ host: 'notifications.cloud.localhost', pathPrefix: '/', target: up.url, stripPrefix: false }]);
  });
  afterAll(async () => {
    await gw.close();
    wss.close();
    await up.close();
  });

  it('passes a WebSocket upgrade through and echoes both ways', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${gw.edge.ports.http}/ws`, { headers: { host: 'notifications.cloud.localhost' } });
    const messages: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        messages.push(data.toString());
        if (messages.length === 1) ws.send('ping 1');
        else if (messages.length === 2) ws.send(Buffer.alloc(200_000, 7));
        else if (messages.length === 3) resolve();
      });
      ws.on('error', reject);
    });
    await done;
    expect(messages[0]).toBe('hello 127.0.0.1');
    expect(messages[1]).toBe('ping 1');
    expect(messages[2]).toHaveLength(200_000);
    ws.close();
  });

  it('delivers SSE events one by one as they are written', async () => {
    const events = await new Promise<string[]>((resolve, reject) => {
      const got: string[] = [];
      const req = request(
        { host: '127.0.0.1', port: gw.edge.ports.http, path: '/events', headers: { host: 'notifications.cloud.localhost' } },
        (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream');
          res.on('data', (c: Buffer) => {
            got.push(c.toString());
            sendNext?.(); // the upstream writes event n+1 only after event n reached us
          });
          res.on('end', () => resolve(got));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(events.join('')).toBe('data: event 1\n\ndata: event 2\n\ndata: event 3\n\n');
  });

  it('forwards 100 Continue for Expect: 100-continue', async () => {
    const res = await raw(
      gw.edge.ports.http,
      'POST /up HTTP/1.1\r\nHost: notifications.cloud.localhost\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
      { waitMs: 300 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
  });
});
