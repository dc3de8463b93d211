import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase, type Database } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import type { EventBus } from '@edd/events';
import { idempotencyMigrations, serve } from '@edd/http';
import { call } from '@edd/http/testing';
import { createLogger, type Logger } from '@edd/logger';
import { outboxMigrations, startOutboxRelay, type OutboxRelay } from '@edd/outbox';
import { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import { createApp } from '../src/app';
import { loadAuthConfig } from '../src/config';

// The tests' JSON client, shared by every service's harness.
export { call };

export const SERVICE_KEY = 'test-service-key-0123456789';
export const ADMIN = { username: 'admin', password: 'admin-password-1' } as const;
const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** A logger that keeps its JSON lines in memory (tests assert on them; nothing floods the console). */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ service: 'auth-test', level: 'debug', stream }), lines };
}

export interface AuthInstance {
  url: string;
  db: Database;
  logs: string[];
  /** Publishes the events auth writes into its outbox; only when the instance was given a bus. */
  relay?: OutboxRelay;
  close(): Promise<void>;
}

export interface InstanceOptions {
  testDb: TestDatabase;
  /** Redis key prefix: instances sharing it share rate limits. */
  redisPrefix: string;
  /** Without one, events stay in the outbox (nobody publishes them). */
  bus?: EventBus;
  env?: Record<string, string>;
}

/** One auth replica on a random port, on the given test database. */
export async function startAuth(options: InstanceOptions): Promise<AuthInstance> {
  const { logger, lines } = memoryLogger();
  const config = loadAuthConfig({
    NODE_ENV: 'test',
    DATABASE_URL: options.testDb.serverUrl,
    REDIS_KEY_PREFIX: options.redisPrefix,
    SERVICE_API_KEY: SERVICE_KEY,
    DEFAULT_USERNAME: ADMIN.username,
    DEFAULT_PASSWORD: ADMIN.password,
    // Every test request comes from 127.0.0.1: only the rate-limit test wants the per-IP limit low.
    LOGIN_MAX_ATTEMPTS_PER_IP: '1000',
    ...options.env,
  });
  const db = await openDatabase({
    serverUrl: options.testDb.serverUrl,
    database: options.testDb.database,
    migrationsDir: MIGRATIONS,
    maxConnections: 4,
  });
  await migrate(db.pool, [...outboxMigrations, ...idempotencyMigrations]);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const app = await createApp({ config, logger, db, redis });
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 1_000 });
  const relay = options.bus && startOutboxRelay({ db, bus: options.bus, logger });
  return {
    url: `http://127.0.0.1:${server.port}`,
    db,
    logs: lines,
    relay,
    async close() {
      await server.close();
      await relay?.stop();
      await db.close();
      redis.disconnect();
    },
  };
}

/** A fresh database plus a unique Redis prefix, and one instance on them. */
export async function startFresh(prefix: string, extra: Omit<InstanceOptions, 'testDb' | 'redisPrefix'> = {}) {
  const testDb = await createTestDatabase(`auth_${prefix}`);
  const redisPrefix = `test:auth:${prefix}:${randomBytes(6).toString('hex')}:`;
  const auth = await startAuth({ testDb, redisPrefix, ...extra });
  return {
    auth,
    testDb,
    redisPrefix,
    async close() {
      await auth.close();
      await testDb.drop();
    },
  };
}

export interface LoginReply {
  user_id: string;
  username: string;
  display_name: string;
  is_admin: boolean;
  token: string;
}

export async function login(base: string, username: string, password: string, headers: Record<string, string> = {}): Promise<LoginReply> {
  const res = await call<LoginReply>(base, 'POST', '/api/login', { json: { username, password }, headers });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates a user through the admin API and logs them in. */
export async function createUserAndLogin(
  base: string,
  adminToken: string,
  username: string,
  password = 'user-password-1',
): Promise<LoginReply> {
  const res = await call(base, 'POST', '/api/admin/users', { token: adminToken, json: { username, password } });
  if (res.status !== 201) throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(base, username, password);
}

export interface SeenEvent {
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** Records every auth event published from now on (other people's tests publish too: filter by your ids). */
export async function recordAuthEvents(bus: EventBus): Promise<{ events: SeenEvent[]; stop(): Promise<void> }> {
  const events: SeenEvent[] = [];
  const sub = await bus.subscribe({
    types: [
      'auth.user.created',
      'auth.user.updated',
      'auth.user.deleted',
      'auth.session.created',
      'auth.session.invalidated',
      'auth.token.revoked',
      'auth.identity.updated',
      'auth.identity.deleted',
    ],
    handler: (event) => {
      events.push({ type: event.type, subject: event.subject, data: event.data as Record<string, unknown> });
    },
  });
  return { events, stop: () => sub.stop() };
}
