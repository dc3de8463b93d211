// A small service wired as a real one would: auth client against the stand-in auth server, one WebSocket endpoint,
// one SSE route behind requireLiveAuth, the hub attached to the http.Server's upgrade event, on a real socket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createAuthClient, type AuthClient } from '@edd/auth-client';
import type { FakeAuth } from '@edd/auth-client/testing';
import { createLogger } from '@edd/logger';
import express from 'express';
import { attachLive, createLiveAuth, createLiveHub, requireLiveAuth } from '../../src/index';
import type { LiveHub, LiveSocket, SseOptions, SseStream, WebSocketEndpoint, WebSocketEndpointOptions } from '../../src/index';

export const DOMAIN = 'cloud.localhost';

export interface LiveService {
  port: number;
  wsUrl(path?: string): string;
  httpUrl(path?: string): string;
  hub: LiveHub;
  endpoint: WebSocketEndpoint;
  server: Server;
  /** Server side of every accepted WebSocket / SSE stream, in order. */
  sockets: LiveSocket[];
  streams: SseStream[];
  logs: string[];
  close(): Promise<void>;
}

export interface LiveServiceOptions {
  ws?: Partial<Omit<WebSocketEndpointOptions, 'auth' | 'onConnection'>>;
  sse?: Omit<SseOptions, 'registry'>;
  audience?: string;
  closeDeadlineMs?: number;
}

export async function startLiveService(auth: FakeAuth, options: LiveServiceOptions = {}): Promise<LiveService> {
  const logs: string[] = [];
  const logger = createLogger({
    service: 'live-test',
    level: 'debug',
    stream: new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const client: AuthClient = createAuthClient({ authBaseUrl: auth.url, serviceKey: auth.serviceKey, timeoutMs: 2_000, logger });
  const liveAuth = createLiveAuth({ client, domain: DOMAIN, audience: options.audience ?? 'notifications', logger });
  const hub = createLiveHub({ logger, closeDeadlineMs: options.closeDeadlineMs });
  const sockets: LiveSocket[] = [];
  const streams: SseStream[] = [];

  const endpoint = hub.websocket({
    path: '/api/live/:topic',
    auth: liveAuth,
    authorize: (_principal, _req, params) => params['topic'] !== 'forbidden',
    onConnection: (socket, principal) => {
      sockets.push(socket);
      socket.send({ hello: principal.userId, kind: principal.kind, topic: socket.params['topic'] });
      socket.raw.on('message', (data) => socket.send(`echo:${String(data)}`));
    },
    ...options.ws,
  });

  const app = express();
  app.get('/api/events', requireLiveAuth(liveAuth), (req, res) => {
    const stream = hub.sse(req, res, options.sse);
    streams.push(stream);
    stream.send('hello', { userId: req.principal?.userId, lastEventId: stream.lastEventId ?? null });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  attachLive(server, hub);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    wsUrl: (path = '/api/live/news') => `ws://127.0.0.1:${port}${path}`,
    httpUrl: (path = '/api/events') => `http://127.0.0.1:${port}${path}`,
    hub,
    endpoint,
    server,
    sockets,
    streams,
    logs,
    async close() {
      await hub.close({ deadlineMs: 100 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
    },
  };
}
