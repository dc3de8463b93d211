import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createAuthClient } from '@edd/auth-client';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { loadServiceConfig, serviceConfigShape } from '@edd/config';
import { openDatabase, type Database } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { connectEventBus, type EventBus, type Stoppable } from '@edd/events';
import { deleteDurable, memoryLogger, testNatsUrl, uniqueDurable } from '@edd/events/testing';
import { serve } from '@edd/http';
import { attachLive, createLiveAuth, createLiveHub } from '@edd/live';
import { createLogger } from '@edd/logger';
import type { ScopeGrants } from '@edd/scopes';
import { WebSocket } from 'ws';
import { createApp } from '../src/app';
import type { NotificationsDeps } from '../src/context';
import { startIntake } from '../src/intake/intake';
import type { NotificationsSocketOptions } from '../src/live/notifications-socket';

// The tests' JSON client, shared by every service's harness.
export { call } from '@edd/http/testing';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface TestUser {
  userId: string;
  token: string;
  /** An API token of this user with exactly these grants. */
  apiToken(scopes: ScopeGrants): string;
}

export interface Notifications {
  url: string;
  db: Database;
  bus: EventBus;
  auth: FakeAuth;
  deps: NotificationsDeps;
  app: ReturnType<typeof createApp>;
  durable: string;
  user(name?: string): Promise<TestUser>;
  /** Another replica: same database, auth and durable, its own bus connection, HTTP server and sockets. */
  replica(): Promise<Notifications>;
  close(): Promise<void>;
}

interface Shared {
  testDb: TestDatabase;
  auth: FakeAuth;
  durable: string;
  /** This test's own core NATS channel between its replicas. */
  liveChannel: string;
}

export interface StartOptions {
  natsUrl?: string;
  socket?: NotificationsSocketOptions;
  shared?: Shared;
}

/**
 * One notifications replica on a fresh database (or a shared one), with a fake auth and a real bus. The intake
 * durable is unique to the test and starts at new events, so other tests' notifications on the shared NATS stay out.
 */
export async function startNotifications(prefix: string, options: StartOptions = {}): Promise<Notifications> {
  const owned = !options.shared;
  const shared: Shared = options.shared ?? {
    testDb: await createTestDatabase(`notifications_${prefix}`),
    auth: await startFakeAuth(),
    durable: uniqueDurable('notifications'),
    liveChannel: `live.notifications.${uniqueDurable('t')}`,
  };
  const { testDb, auth, durable, liveChannel } = shared;
  const natsUrl = options.natsUrl ?? testNatsUrl;
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const logger = createLogger({ service: 'notifications-test', level: 'error', stream: sink });
  const config = loadServiceConfig(0, serviceConfigShape(0), {
    NODE_ENV: 'test',
    DATABASE_URL: testDb.serverUrl,
    AUTH_URL: auth.url,
    SERVICE_API_KEY: auth.serviceKey,
  });
  const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: MIGRATIONS, maxConnections: 8 });
  const bus = await connectEventBus({ servers: natsUrl, name: `notifications-test-${prefix}`, logger: memoryLogger(), retryDelayMs: 100 });
  await bus.ensureStreams();
  const client = createAuthClient({ authBaseUrl: auth.url, serviceKey: auth.serviceKey, logger });
  const live = createLiveHub({ logger });
  const deps: NotificationsDeps = {
    config,
    logger,
    db,
    bus,
    auth: client,
    liveAuth: createLiveAuth({ client, domain: config.EDD_DOMAIN, audience: 'notifications', logger }),
    live,
    readiness: [],
  };
  const app = createApp(deps, { ...options.socket, liveChannel });
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
  attachLive(server.server, live);
  const intake: Stoppable = await startIntake({ db, bus, logger, durable, from: 'new', liveChannel });
  let users = 0;
  const self: Notifications = {
    url: `http://127.0.0.1:${server.port}`,
    db,
    bus,
    auth,
    deps,
    app,
    durable,
    async user(name = 'user') {
      users += 1;
      const userId = `${name}${users}${randomBytes(3).toString('hex')}`;
      const who = { userId, username: userId, isAdmin: false };
      const { token } = await auth.issueSession(who);
      return { userId, token, apiToken: (scopes) => auth.createToken(who, scopes).token };
    },
    replica: () => startNotifications(prefix, { natsUrl, socket: options.socket, shared }),
    async close() {
      await intake.stop();
      await live.close().catch(() => undefined);
      await server.close();
      await bus.close();
      await client.close();
      await db.close();
      if (owned) {
        await deleteDurable(durable, natsUrl).catch(() => undefined);
        await auth.close();
        await testDb.drop();
      }
    },
  };
  return self;
}

export interface OpenSocket {
  socket: WebSocket;
  /** Ids of the notification frames received, in order. */
  ids: number[];
  frames: Array<{ type: string; notification?: { id: number; title: string } }>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens `WS /ws/notifications` as `token`, optionally resuming after `after`. */
export function openSocket(base: string, token: string, after?: number): Promise<OpenSocket> {
  const query = after === undefined ? '' : `?after=${after}`;
  const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/notifications${query}`, { headers: { authorization: `Bearer ${token}` } });
  const opened: OpenSocket = {
    socket,
    ids: [],
    frames: [],
    closed: new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) }))),
  };
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as OpenSocket['frames'][number];
    opened.frames.push(frame);
    if (frame.type === 'notification' && frame.notification) opened.ids.push(frame.notification.id);
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(opened));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}
