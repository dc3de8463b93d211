import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createAuthClient } from '@edd/auth-client';
import type { ServiceConfig } from '@edd/config';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { migrate, openDatabase, type Migration } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { startPrivateNatsServer } from '@edd/events/testing';
import { serve } from '@edd/http';
import { attachLive, createLiveAuth, createLiveHub } from '@edd/live';
import { createLogger, type Logger } from '@edd/logger';
import type express from 'express';
import type { AnyServiceDeps } from './service-deps';

export interface BootedService {
  baseUrl: string;
  logs: string[];
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends `signal` (a crash test's SIGKILL) and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a service's real entry file in its own process (tsx), on a free port, and resolves once it
 * logged that it listens. Used by each service's start-up test: config, database, NATS, HTTP, shutdown.
 */
export function bootServiceProcess(entryFile: string, env: Record<string, string>, timeoutMs = 30_000): Promise<BootedService> {
  const child = spawn(process.execPath, ['--import', 'tsx', entryFile], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<BootedService>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start in ${timeoutMs} ms:\n${logs.join('\n')}`));
    }, timeoutMs);
    createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
    createInterface({ input: child.stdout }).on('line', (line) => {
      logs.push(line);
      let entry: { msg?: string; port?: number };
      try {
        entry = JSON.parse(line) as { msg?: string; port?: number };
      } catch {
        return;
      }
      if (entry.msg !== 'listening' || typeof entry.port !== 'number') return;
      clearTimeout(timer);
      resolve({
        baseUrl: `http://127.0.0.1:${entry.port}`,
        logs,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async (signal) => {
          child.kill(signal);
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
}

export interface BootCheckResult {
  readiness: { status: string; checks: Record<string, string> };
  exitCode: number | null;
  logs: string[];
}

/** Boots the service, reads /healthz and /readyz, stops it with SIGTERM: what every service must do. */
export async function bootAndStop(entryFile: string, env: Record<string, string>): Promise<BootCheckResult> {
  const service = await bootServiceProcess(entryFile, env);
  try {
    const health = await fetch(`${service.baseUrl}/healthz`);
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status}`);
    const ready = await fetch(`${service.baseUrl}/readyz`);
    const readiness = (await ready.json()) as BootCheckResult['readiness'];
    return { readiness, exitCode: await service.stop(), logs: service.logs };
  } catch (error) {
    await service.stop();
    throw error;
  }
}

/**
 * bootAndStop on a fresh, uniquely named database (dropped afterwards), for services that own one. The result's
 * `migrated` says whether the service logged that it applied its migrations. Unless `env` names a NATS_URL, the
 * service gets a private nats-server: its durable consumers then never take events meant for a platform that
 * `npm start` runs on the shared server, and nothing left on that server changes what the test sees.
 */
export async function bootAndStopOnTestDatabase(
  entryFile: string,
  prefix: string,
  env: Record<string, string> = {},
): Promise<BootCheckResult & { migrated: boolean }> {
  const db = await createTestDatabase(prefix);
  const nats = env['NATS_URL'] ? undefined : await startPrivateNatsServer();
  try {
    const result = await bootAndStop(entryFile, { DATABASE_NAME: db.database, ...(nats ? { NATS_URL: nats.url } : {}), ...env });
    return { ...result, migrated: result.logs.some((line) => line.includes('"msg":"migrations applied"')) };
  } finally {
    await nats?.dispose();
    await db.drop();
  }
}

// In-process services: a test builds the service's app on these, as startService would, and reaches into its parts.

/** The database and fake auth one test's replicas of a service share. */
export interface TestBackends {
  testDb: TestDatabase;
  auth: FakeAuth;
}

/**
 * A fresh database (named after `prefix`, made unique) and a fake auth; `close` stops the one and drops the other.
 * Given `shared` (another replica's), those instead, and `close` leaves them to the replica that made them.
 */
export async function testBackends(prefix: string, shared?: TestBackends): Promise<TestBackends & { close(): Promise<void> }> {
  if (shared) return { testDb: shared.testDb, auth: shared.auth, close: () => Promise.resolve() };
  const testDb = await createTestDatabase(prefix);
  const auth = await startFakeAuth();
  return {
    testDb,
    auth,
    async close() {
      await auth.close();
      await testDb.drop();
    },
  };
}

/** The variables a service's config needs to reach the backends; a test adds the service's own. */
export function testBackendsEnv({ testDb, auth }: TestBackends): Record<string, string> {
  return { NODE_ENV: 'test', DATABASE_URL: testDb.serverUrl, AUTH_URL: auth.url, SERVICE_API_KEY: auth.serviceKey };
}

/** What every service's routes take from the runtime (its AnyServiceDeps but the bus and Redis), plus the logger. */
export type TestServiceDeps = Required<Pick<AnyServiceDeps, 'db' | 'auth' | 'liveAuth'>> &
  Pick<AnyServiceDeps, 'live' | 'readiness'> & { logger: Logger };

export interface TestServiceDepsOptions {
  /** The service's name: its live tickets' audience. */
  service: string;
  migrationsDir: string;
  /** A lib's tables (outbox, idempotency), applied after the service's own migrations. */
  extraMigrations?: readonly Migration[];
  maxConnections: number;
  /** The service's config: its EDD_DOMAIN is the origin live connections must come from. */
  config: Pick<ServiceConfig, 'EDD_DOMAIN'>;
}

/**
 * A silent logger, the service's database (migrated), an auth client of the fake auth and a live hub, as startService
 * connects them; `close` ends the client and the database (close the live hub with the server: `serveTestApp`).
 */
export async function connectTestServiceDeps(
  backends: TestBackends,
  options: TestServiceDepsOptions,
): Promise<{ deps: TestServiceDeps; close(): Promise<void> }> {
  const { testDb, auth } = backends;
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ service: `${options.service}-test`, level: 'error', stream: sink });
  const db = await openDatabase({
    serverUrl: testDb.serverUrl,
    database: testDb.database,
    migrationsDir: options.migrationsDir,
    maxConnections: options.maxConnections,
  });
  if (options.extraMigrations) await migrate(db.pool, options.extraMigrations);
  const client = createAuthClient({ authBaseUrl: auth.url, serviceKey: auth.serviceKey, logger });
  const live = createLiveHub({ logger });
  const liveAuth = createLiveAuth({ client, domain: options.config.EDD_DOMAIN, audience: options.service, logger });
  return {
    deps: { logger, db, auth: client, liveAuth, live, readiness: [] },
    async close() {
      await client.close();
      await db.close();
    },
  };
}

/** Serves `app` on a random loopback port with the live hub attached; `close` ends the live connections, then the server. */
export async function serveTestApp(
  app: express.Express,
  { logger, live }: Pick<TestServiceDeps, 'logger' | 'live'>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
  attachLive(server.server, live);
  return {
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await live.close().catch(() => undefined);
      await server.close();
    },
  };
}
