import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createAuthClient } from '@edd/auth-client';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { openDatabase, type Database } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import type { EventBus } from '@edd/events';
import { connectTestBus, uniqueDurable } from '@edd/events/testing';
import { serve } from '@edd/http';
import { call, type Reply } from '@edd/http/testing';
import { attachLive, createLiveAuth, createLiveHub } from '@edd/live';
import { createLogger } from '@edd/logger';
import type { ScopeGrants } from '@edd/scopes';
import { createApp } from '../src/app';
import { loadHealthConfig, type HealthConfig } from '../src/config';
import type { HealthDeps } from '../src/context';
import type { MetricSource, Snapshot } from '../src/sources/metric-source';
import { startMonitor, type Monitor } from '../src/start-monitor';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface TestUser {
  userId: string;
  token: string;
  apiToken(scopes: ScopeGrants): string;
}

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
  shared?: { testDb: TestDatabase; auth: FakeAuth; logErrorDurable: string };
}

/** One health instance on its own database (or a shared one), a fake auth, the real NATS and PostgreSQL. */
export async function startHealth(
  prefix: string,
  options: HealthOptions = {},
): Promise<Health & { shared: NonNullable<HealthOptions['shared']> }> {
  const owned = !options.shared;
  const testDb = options.shared?.testDb ?? (await createTestDatabase(`health_${prefix}`));
  const auth = options.shared?.auth ?? (await startFakeAuth());
  const shared = options.shared ?? { testDb, auth, logErrorDurable: uniqueDurable('health_errors') };
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const logger = createLogger({ service: 'health-test', level: 'error', stream: sink });
  const config = loadHealthConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDb.serverUrl,
    DATABASE_NAME: testDb.database,
    AUTH_URL: auth.url,
    SERVICE_API_KEY: auth.serviceKey,
    HEALTH_SAMPLE_INTERVAL_MS: '200',
    HEALTH_LEADER_RETRY_MS: '200',
    ...options.env,
  });
  const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: MIGRATIONS, maxConnections: 6 });
  const bus = await connectTestBus(`health-test-${prefix}`);
  const client = createAuthClient({ authBaseUrl: auth.url, serviceKey: auth.serviceKey, logger });
  const live = createLiveHub({ logger });
  const deps: HealthDeps = {
    config,
    logger,
    db,
    bus,
    auth: client,
    liveAuth: createLiveAuth({ client, domain: config.EDD_DOMAIN, audience: 'health', logger }),
    live,
    readiness: [],
  };
  const app = createApp(deps);
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
  attachLive(server.server, live);
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
  let users = 0;
  return {
    url: `http://127.0.0.1:${server.port}`,
    db,
    bus,
    auth,
    config,
    shared,
    ...(monitor ? { monitor } : {}),
    async user(name = 'user', opts = {}) {
      users += 1;
      // Mixed case on purpose: the original lost every user whose id had an uppercase letter.
      const userId = `${name}${users}X${randomBytes(3).toString('hex')}`;
      const who = { userId, username: userId, isAdmin: opts.isAdmin ?? false };
      const { token } = await auth.issueSession(who);
      return { userId, token, apiToken: (scopes) => auth.createToken(who, scopes).token };
    },
    async close() {
      await monitor?.stop();
      await live.close().catch(() => undefined);
      await server.close();
      await bus.close();
      await client.close();
      await db.close();
      if (owned) {
        await auth.close();
        await testDb.drop();
      }
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
