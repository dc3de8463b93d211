import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createAuthClient } from '@edd/auth-client';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { migrate, openDatabase, type Database } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import type { EventBus, Stoppable } from '@edd/events';
import { connectTestBus } from '@edd/events/testing';
import { idempotencyMigrations, serve } from '@edd/http';
import { attachLive, createLiveAuth, createLiveHub } from '@edd/live';
import { createLogger } from '@edd/logger';
import { outboxMigrations, startOutboxRelay, type OutboxRelay } from '@edd/outbox';
import type { ScopeGrants } from '@edd/scopes';
import { createApp } from '../src/app';
import { loadComputeConfig, sealerOf, type ComputeConfig } from '../src/config';
import type { ComputeDeps } from '../src/context';
import { startContainerFeed } from '../src/live/container-feed';
import { Reconciler } from '../src/reconcile/reconciler';
import type { ContainerRuntime } from '../src/runtime/container-runtime';
import { FakeRuntime } from '../src/runtime/testing/fake-runtime';

// The tests' JSON client, shared by every service's harness.
export { call } from '@edd/http/testing';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface Compute<R extends ContainerRuntime = FakeRuntime> {
  url: string;
  db: Database;
  auth: FakeAuth;
  runtime: R;
  reconciler: Reconciler;
  deps: ComputeDeps;
  config: ComputeConfig;
  /** A session of a new user. */
  user(name?: string, options?: { isAdmin?: boolean }): Promise<TestUser>;
  /** Another instance (replica) on the same database and auth, with its own runtime double. */
  replica(): Promise<Compute>;
  close(): Promise<void>;
}

export interface TestUser {
  userId: string;
  username: string;
  token: string;
  apiToken(scopes: ScopeGrants): string;
}

export interface ComputeOptions {
  env?: Record<string, string>;
  /** Connect NATS: the outbox relay publishes, and the live feed follows compute.container.* (WebSocket tests). */
  events?: boolean;
  shared?: { testDb: TestDatabase; auth: FakeAuth };
  /** How long the reconciler lets one runtime call take (the double answers at once; a real sandbox needs seconds). */
  applyTimeoutMs?: number;
}

/** One compute instance on a fresh database (or a shared one), a fake auth and an in-process runtime double. */
export function startCompute(prefix: string, options?: ComputeOptions): Promise<Compute>;
/** The same on a real runtime (the sandbox). */
export function startCompute<R extends ContainerRuntime>(prefix: string, options: ComputeOptions & { runtime: R }): Promise<Compute<R>>;
export async function startCompute(
  prefix: string,
  options: ComputeOptions & { runtime?: ContainerRuntime } = {},
): Promise<Compute<ContainerRuntime>> {
  const owned = !options.shared;
  const testDb = options.shared?.testDb ?? (await createTestDatabase(`compute_${prefix}`));
  const auth = options.shared?.auth ?? (await startFakeAuth());
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const logger = createLogger({ service: 'compute-test', level: 'error', stream: sink });
  const config = loadComputeConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDb.serverUrl,
    AUTH_URL: auth.url,
    SERVICE_API_KEY: auth.serviceKey,
    ...options.env,
  });
  const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: MIGRATIONS, maxConnections: 8 });
  await migrate(db.pool, [...outboxMigrations, ...idempotencyMigrations]);
  const client = createAuthClient({ authBaseUrl: auth.url, serviceKey: auth.serviceKey, logger });
  const live = createLiveHub({ logger });
  const runtime = options.runtime ?? new FakeRuntime();
  const sealer = sealerOf(config);
  const reconciler = new Reconciler({
    db,
    runtime,
    sealer,
    logger,
    baseBackoffMs: 200,
    maxBackoffMs: 1_000,
    recheckMs: 100,
    periodMs: 60_000,
    applyTimeoutMs: options.applyTimeoutMs ?? 500,
  });
  // Follows the runtime double's watch events, as in main.ts.
  reconciler.start();
  const deps: ComputeDeps = {
    config,
    logger,
    db,
    auth: client,
    liveAuth: createLiveAuth({ client, domain: config.EDD_DOMAIN, audience: 'compute', logger }),
    live,
    readiness: [],
    runtime,
    sealer,
    kick: (id) => reconciler.kick(id),
  };
  const app = createApp(deps);
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
  attachLive(server.server, live);
  let bus: EventBus | undefined;
  let relay: OutboxRelay | undefined;
  let feed: Stoppable | undefined;
  if (options.events) {
    bus = await connectTestBus(`compute-test-${prefix}`);
    relay = startOutboxRelay({ db, bus, logger, pollIntervalMs: 100 });
    feed = await startContainerFeed(bus, app.sockets);
  }
  let users = 0;
  const compute: Compute<ContainerRuntime> = {
    url: `http://127.0.0.1:${server.port}`,
    db,
    auth,
    runtime,
    reconciler,
    deps,
    config,
    async user(name = 'user', opts = {}) {
      users += 1;
      const userId = `${name}${users}${randomBytes(3).toString('hex')}`;
      const who = { userId, username: userId, isAdmin: opts.isAdmin ?? false };
      const { token } = await auth.issueSession(who);
      return { userId, username: userId, token, apiToken: (scopes) => auth.createToken(who, scopes).token };
    },
    // A replica gets its own runtime double, never the first one's runtime.
    replica: () => startCompute(prefix, { events: options.events, env: options.env, shared: { testDb, auth } }),
    async close() {
      await reconciler.stop();
      await feed?.stop();
      await relay?.stop();
      await bus?.close();
      await live.close().catch(() => undefined);
      await server.close();
      await client.close();
      await db.close();
      if (owned) {
        await auth.close();
        await testDb.drop();
      }
    },
  };
  return compute;
}

export async function outboxEvents(db: Database): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const { rows } = await db.query<{ type: string; data: Record<string, unknown> }>('SELECT type, data FROM event_outbox ORDER BY seq');
  return rows;
}
