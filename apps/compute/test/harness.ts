import { fileURLToPath } from 'node:url';
import { testUsers, type FakeAuth, type TestUser } from '@edd/auth-client/testing';
import type { Database } from '@edd/db';
import type { EventBus, Stoppable } from '@edd/events';
import { connectTestBus } from '@edd/events/testing';
import { idempotencyMigrations } from '@edd/http';
import { outboxMigrations, startOutboxRelay, type OutboxRelay } from '@edd/outbox';
import { connectTestServiceDeps, serveTestApp, testBackends, testBackendsEnv, type TestBackends } from '@edd/service-runtime/testing';
import { createApp } from '../src/app';
import { loadComputeConfig, sealerOf, type ComputeConfig } from '../src/config';
import type { ComputeDeps } from '../src/context';
import { startContainerFeed } from '../src/live/container-feed';
import { Reconciler } from '../src/reconcile/reconciler';
import type { ContainerRuntime } from '../src/runtime/container-runtime';
import { FakeRuntime } from '../src/runtime/testing/fake-runtime';

// The tests' JSON client and outbox reader, shared by the services' harnesses.
export { call } from '@edd/http/testing';
export { outboxEvents } from '@edd/outbox/testing';

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

export type { TestUser };

export interface ComputeOptions {
  env?: Record<string, string>;
  /** Connect NATS: the outbox relay publishes, and the live feed follows compute.container.* (WebSocket tests). */
  events?: boolean;
  shared?: TestBackends;
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
  const backends = await testBackends(`compute_${prefix}`, options.shared);
  const { testDb, auth } = backends;
  const config = loadComputeConfig({ ...testBackendsEnv(backends), ...options.env });
  const base = await connectTestServiceDeps(backends, {
    service: 'compute',
    migrationsDir: MIGRATIONS,
    extraMigrations: [...outboxMigrations, ...idempotencyMigrations],
    maxConnections: 8,
    config,
  });
  const { logger, db } = base.deps;
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
  const deps: ComputeDeps = { ...base.deps, config, runtime, sealer, kick: (id) => reconciler.kick(id) };
  const app = createApp(deps);
  const served = await serveTestApp(app, deps);
  let bus: EventBus | undefined;
  let relay: OutboxRelay | undefined;
  let feed: Stoppable | undefined;
  if (options.events) {
    bus = await connectTestBus(`compute-test-${prefix}`);
    relay = startOutboxRelay({ db, bus, logger, pollIntervalMs: 100 });
    feed = await startContainerFeed(bus, app.sockets);
  }
  const compute: Compute<ContainerRuntime> = {
    url: served.url,
    db,
    auth,
    runtime,
    reconciler,
    deps,
    config,
    user: testUsers(auth),
    // A replica gets its own runtime double, never the first one's runtime.
    replica: () => startCompute(prefix, { events: options.events, env: options.env, shared: { testDb, auth } }),
    async close() {
      await reconciler.stop();
      await feed?.stop();
      await relay?.stop();
      await bus?.close();
      await served.close();
      await base.close();
      await backends.close();
    },
  };
  return compute;
}
