// Live connections through the runtime: `deps.live` is attached to the service's server, `deps.liveAuth` checks
// the same credentials as HTTP, and closing the service ends open sockets politely instead of waiting out the grace.
import { Writable } from 'node:stream';
import { startFakeAuth } from '@edd/auth-client/testing';
import type { FakeAuth } from '@edd/auth-client/testing';
import { loadServiceConfig } from '@edd/config';
import { randomToken } from '@edd/events/testing';
import { createServiceApp } from '@edd/http';
import type { RunningServer } from '@edd/http';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runService, serviceAppOptions } from '../src/index';

const logger = createLogger({ service: 'runtime-live-test', stream: new Writable({ write: (_c, _e, done) => done() }) });
const user = { userId: randomToken('u').replace('-', ''), username: 'live-user' };
let fakeAuth: FakeAuth;
let service: RunningServer;
let wsUrl: string;

beforeAll(async () => {
  fakeAuth = await startFakeAuth();
  // A grace period far longer than the test's timeout: only closing the live connections lets close() finish.
  const config = loadServiceConfig(
    0,
    {},
    { HOST: '127.0.0.1', AUTH_URL: fakeAuth.url, SERVICE_API_KEY: fakeAuth.serviceKey, SHUTDOWN_GRACE_MS: '120000' },
  );
  service = await runService({
    name: 'runtime-live-test',
    config,
    logger,
    auth: true,
    buildApp: (deps) => {
      deps.live.websocket({
        path: '/live/hello',
        auth: deps.liveAuth,
        onConnection: (socket, principal) => void socket.send({ hello: principal.userId }),
      });
      return createServiceApp(serviceAppOptions('runtime-live-test', { ...deps, config, logger }), () => undefined);
    },
  });
  wsUrl = `ws://127.0.0.1:${service.port}/live/hello`;
});

afterAll(async () => {
  await service?.close();
  await fakeAuth?.close();
});

function open(headers: Record<string, string>): Promise<{ socket: WebSocket; first: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { headers });
    socket.once('message', (data: Buffer) => resolve({ socket, first: JSON.parse(data.toString()) as unknown }));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

it('serves a WebSocket endpoint on the service port to a caller with a session, and refuses one without', async () => {
  const { token } = await fakeAuth.issueSession(user);
  const { socket, first } = await open({ authorization: `Bearer ${token}` });
  expect(first).toEqual({ hello: user.userId });
  socket.close();
  await expect(open({})).rejects.toThrow('refused with 401');
});

it('closes open sockets with 1001 when the service shuts down, so the drain does not wait for them', async () => {
  const { token } = await fakeAuth.issueSession(user);
  const { socket } = await open({ authorization: `Bearer ${token}` });
  const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
  await service.close();
  expect(await closed).toBe(1001);
});
