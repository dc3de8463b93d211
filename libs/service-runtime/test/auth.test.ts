// `auth: true`: the runtime builds the auth client from AUTH_URL and SERVICE_API_KEY, mounts `authenticate` through
// serviceAppOptions and follows revocations on the real NATS bus.
import { Writable } from 'node:stream';
import { requireScope } from '@edd/auth-client';
import { loadServiceConfig } from '@edd/config';
import type { EventBus } from '@edd/events';
import { connectTestBus, randomToken, waitFor } from '@edd/events/testing';
import { createServiceApp } from '@edd/http';
import type { RunningServer } from '@edd/http';
import { createLogger } from '@edd/logger';
import { formatScope } from '@edd/scopes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runService, serviceAppOptions } from '../src/index';
import { startFakeAuth } from '@edd/auth-client/testing';
import type { FakeAuth } from '@edd/auth-client/testing';

const lines: Array<Record<string, unknown>> = [];
const logger = createLogger({
  service: 'runtime-auth-test',
  stream: new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  }),
});

let fakeAuth: FakeAuth;
let publisher: EventBus;
let service: RunningServer;
let base: string;
const userId = randomToken('u').replace('-', '');
const user = { userId, username: `user-${userId}` };

beforeAll(async () => {
  fakeAuth = await startFakeAuth();
  publisher = await connectTestBus('runtime-auth-test-publisher');
  const config = loadServiceConfig(0, {}, { HOST: '127.0.0.1', AUTH_URL: fakeAuth.url, SERVICE_API_KEY: fakeAuth.serviceKey });
  service = await runService({
    name: 'runtime-auth-test',
    config,
    logger,
    auth: true,
    buildApp: (deps) =>
      createServiceApp(serviceAppOptions('runtime-auth-test', { ...deps, config, logger }), (app) => {
        app.get('/mine', deps.auth.requireAuth, (req, res) => {
          req.log.info('served mine');
          res.json({ userId: req.principal?.userId, kind: req.principal?.kind });
        });
        app.get(
          '/files/:owner',
          requireScope((req) => formatScope('storage', String(req.params['owner']), 'files', 'docs'), 'read'),
          (_req, res) => {
            res.json({ ok: true });
          },
        );
      }),
  });
  base = `http://127.0.0.1:${service.port}`;
});

afterAll(async () => {
  await service?.close();
  await publisher?.close();
  await fakeAuth?.close();
});

const get = (path: string, token?: string) => fetch(`${base}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

it('authenticates every request, so a route only names the guard', async () => {
  const { token } = await fakeAuth.issueSession(user);
  expect((await get('/mine')).status).toBe(401);
  const mine = await get('/mine', token);
  expect(mine.status).toBe(200);
  expect(await mine.json()).toEqual({ userId, kind: 'session' });
  expect((await get(`/files/${userId}`, token)).status).toBe(200);
  const foreign = await get('/files/someoneelse', token);
  expect(foreign.status).toBe(403);
  expect(await foreign.json()).toEqual({ error: 'missing permission: read on storage.someoneelse.files.docs', code: 'scope_missing' });
});

it("puts the caller's user id on the request's log lines", async () => {
  const { token } = await fakeAuth.issueSession(user);
  const res = await get('/mine', token);
  const requestId = res.headers.get('x-request-id');
  await waitFor(() => lines.some((l) => l['msg'] === 'request' && l['requestId'] === requestId));
  expect(lines.find((l) => l['msg'] === 'served mine' && l['requestId'] === requestId)).toMatchObject({ userId });
  expect(lines.find((l) => l['msg'] === 'request' && l['requestId'] === requestId)).toMatchObject({ userId, status: 200 });
});

it('follows revocations on the bus: an invalidated session is refused although auth still calls it live', async () => {
  const { token, sessionId } = await fakeAuth.issueSession(user);
  expect((await get('/mine', token)).status).toBe(200);
  await publisher.publish('auth.session.invalidated', { sessionId, userId, reason: 'logout' });
  await waitFor(async () => (await get('/mine', token)).status === 401);
});

it('reports the bus it connected for the revocations in readiness', async () => {
  expect(await (await get('/readyz')).json()).toMatchObject({ status: 'ready', checks: { nats: 'ok' } });
});
