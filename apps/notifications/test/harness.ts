import { fileURLToPath } from 'node:url';
import { testUsers, type FakeAuth, type TestUser } from '@edd/auth-client/testing';
import { loadServiceConfig, serviceConfigShape } from '@edd/config';
import type { Database } from '@edd/db';
import { connectEventBus, type EventBus, type Stoppable } from '@edd/events';
import { deleteDurable, memoryLogger, testNatsUrl, uniqueDurable } from '@edd/events/testing';
import { connectTestServiceDeps, serveTestApp, testBackends, testBackendsEnv, type TestBackends } from '@edd/service-runtime/testing';
import { WebSocket } from 'ws';
import { createApp } from '../src/app';
import type { NotificationsDeps } from '../src/context';
import { startIntake } from '../src/intake/intake';
import type { NotificationsSocketOptions } from '../src/live/notifications-socket';

// The tests' JSON client, shared by every service's harness.
export { call } from '@edd/http/testing';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export type { TestUser };

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

interface Shared extends TestBackends {
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
  const backends = await testBackends(`notifications_${prefix}`, options.shared);
  const shared: Shared = options.shared ?? {
    testDb: backends.testDb,
    auth: backends.auth,
    durable: uniqueDurable('notifications'),
    liveChannel: `live.notifications.${uniqueDurable('t')}`,
  };
  const { auth, durable, liveChannel } = shared;
  const natsUrl = options.natsUrl ?? testNatsUrl;
  const config = loadServiceConfig(0, serviceConfigShape(0), testBackendsEnv(backends));
  const base = await connectTestServiceDeps(backends, { service: 'notifications', migrationsDir: MIGRATIONS, maxConnections: 8, config });
  const { logger, db } = base.deps;
  const bus = await connectEventBus({ servers: natsUrl, name: `notifications-test-${prefix}`, logger: memoryLogger(), retryDelayMs: 100 });
  await bus.ensureStreams();
  const deps: NotificationsDeps = { ...base.deps, config, bus };
  const app = createApp(deps, { ...options.socket, liveChannel });
  const served = await serveTestApp(app, deps);
  const { sockets } = app.notificationsSocket;
  const deliverHere = sockets.deliver.bind(sockets);
  const intake: Stoppable = await startIntake({ db, bus, logger, durable, from: 'new', liveChannel, deliverHere });
  const self: Notifications = {
    url: served.url,
    db,
    bus,
    auth,
    deps,
    app,
    durable,
    user: testUsers(auth),
    replica: () => startNotifications(prefix, { natsUrl, socket: options.socket, shared }),
    async close() {
      await intake.stop();
      await served.close();
      await bus.close();
      await base.close();
      if (!options.shared) await deleteDurable(durable, natsUrl).catch(() => undefined);
      await backends.close();
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
