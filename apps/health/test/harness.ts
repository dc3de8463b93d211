import { fileURLToPath } from 'node:url';
import { testUsers, type FakeAuth, type TestUser } from '@edd/auth-client/testing';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import { connectTestBus, uniqueDurable } from '@edd/events/testing';
import { call, type Reply } from '@edd/http/testing';
import { connectTestServiceDeps, serveTestApp, testBackends, testBackendsEnv, type TestBackends } from '@edd/service-runtime/testing';
import { createApp } from '../src/app';
import { loadHealthConfig, type HealthConfig } from '../src/config';
import type { HealthDeps } from '../src/context';
import type { MetricSource, Snapshot } from '../src/sources/metric-source';
import { startMonitor, type Monitor } from '../src/start-monitor';

export type { TestUser };

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface Health {
  url: string;
  db: Database;
  bus: EventBus;
  auth: FakeAuth;
  config: HealthConfig;
  monitor?: Monitor;
  user(name?: string, options?: { isAdmin?: boolean }): Promise<TestUser>;
  close(): Promise<void>;
}

export interface HealthOptions {
  env?: Record<string, string>;
  /** Start the sampler (leader lock, events, alerts) on this source. */
  source?: MetricSource;
  admins?: () => Promise<string[]>;
  shared?: TestBackends & { logErrorDurable: string };
}

/** One health instance on its own database (or a shared one), a fake auth, the real NATS and PostgreSQL. */
export async function startHealth(
  prefix: string,
  options: HealthOptions = {},
): Promise<Health & { shared: NonNullable<HealthOptions['shared']> }> {
  const backends = await testBackends(`health_${prefix}`, options.shared);
  const { testDb, auth } = backends;
  const shared = options.shared ?? { testDb, auth, logErrorDurable: uniqueDurable('health_errors') };
  const config = loadHealthConfig({
    ...testBackendsEnv(backends),
    DATABASE_NAME: testDb.database,
    HEALTH_SAMPLE_INTERVAL_MS: '200',
    HEALTH_LEADER_RETRY_MS: '200',
    ...options.env,
  });
  const base = await connectTestServiceDeps(backends, { service: 'health', migrationsDir: MIGRATIONS, maxConnections: 6, config });
  const { logger, db } = base.deps;
  const bus = await connectTestBus(`health-test-${prefix}`);
  const deps: HealthDeps = { ...base.deps, config, bus };
  const app = createApp(deps);
  const served = await serveTestApp(app, deps);
  const monitor = options.source
    ? await startMonitor({
        deps,
        config,
        logger,
        source: options.source,
        feed: app.feed,
        admins: options.admins ?? (() => Promise.resolve([])),
        logErrorDurable: shared.logErrorDurable,
      })
    : undefined;
  return {
    url: served.url,
    db,
    bus,
    auth,
    config,
    shared,
    ...(monitor ? { monitor } : {}),
    // Mixed case on purpose: the original lost every user whose id had an uppercase letter.
    user: testUsers(auth, { mixedCase: true }),
    async close() {
      await monitor?.stop();
      await served.close();
      await bus.close();
      await base.close();
      await backends.close();
    },
  };
}

/** A source that answers what the test sets (the rules and the API are what is tested, not /proc). */
export class ScriptedSource implements MetricSource {
  readonly name = 'host' as const;
  next: Omit<Snapshot, 'collectedAt'> = { nodes: [], pods: [] };
  collected = 0;
  collect() {
    this.collected += 1;
    return Promise.resolve({ ...structuredClone(this.next), collectedAt: new Date() });
  }
  close() {
    return Promise.resolve();
  }
}

/** GET `path` as `token` (health's API only answers GETs). */
export const get = <T = Record<string, unknown>>(base: string, path: string, token?: string): Promise<Reply<T>> =>
  call<T>(base, 'GET', path, { token });
