import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAuthClient } from '@edd/auth-client';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { loadServiceConfig } from '@edd/config';
import { migrate, openDatabase, type Database } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { serve } from '@edd/http';
import { call } from '@edd/http/testing';
import { createLiveAuth, createLiveHub } from '@edd/live';
import { createLogger } from '@edd/logger';
import { outboxMigrations } from '@edd/outbox';
import { Redis } from 'ioredis';
import { Writable } from 'node:stream';
import type { ScopeGrants } from '@edd/scopes';
import { createApp } from '../src/app';
import { FsBlobStore } from '../src/blobs';
import { storageConfigShape, type StorageConfig } from '../src/config';
import type { StorageDeps } from '../src/context';

// The tests' JSON client, shared by every service's harness.
export { call };

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export interface Storage {
  url: string;
  db: Database;
  blobs: FsBlobStore;
  auth: FakeAuth;
  deps: StorageDeps;
  redis: Redis;
  /** A session of a new user. */
  user(name?: string, options?: { isAdmin?: boolean }): Promise<TestUser>;
  /**
   * A second replica: another app and server on the same database, blobs and Redis prefix, with its own Redis
   * connection and live hub, as another pod would have. Closed with this instance.
   */
  replica(): Promise<{ url: string }>;
  /** The app's own sweep of tus uploads past their expiry (main.ts runs it every STORAGE_SWEEP_AFTER_MS). */
  sweepExpiredUploads(orphanAfterMs: number): Promise<unknown>;
  close(): Promise<void>;
}

export interface TestUser {
  userId: string;
  token: string;
  /** An API token of this user with exactly these grants. */
  apiToken(scopes: ScopeGrants): string;
}

/** One storage instance on a fresh database, a temp dir for bytes, a unique Redis prefix and a fake auth. */
export async function startStorage(prefix: string, env: Record<string, string> = {}): Promise<Storage> {
  const testDb: TestDatabase = await createTestDatabase(`storage_${prefix}`);
  const dir = await mkdtemp(join(tmpdir(), 'storage-test-'));
  const auth = await startFakeAuth();
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const logger = createLogger({ service: 'storage-test', level: 'error', stream: sink });
  const config = loadServiceConfig(0, storageConfigShape, {
    NODE_ENV: 'test',
    DATABASE_URL: testDb.serverUrl,
    AUTH_URL: auth.url,
    SERVICE_API_KEY: auth.serviceKey,
    STORAGE_DIR: dir,
    ...env,
  }) as StorageConfig;
  const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: MIGRATIONS, maxConnections: 6 });
  await migrate(db.pool, outboxMigrations);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const client = createAuthClient({ authBaseUrl: auth.url, serviceKey: auth.serviceKey, logger });
  const blobs = new FsBlobStore({ root: dir });
  const live = createLiveHub({ logger });
  const deps: StorageDeps = {
    config,
    logger,
    db,
    redis,
    blobs,
    auth: client,
    liveAuth: createLiveAuth({ client, domain: config.EDD_DOMAIN, audience: 'storage', logger }),
    live,
    readiness: [],
    redisPrefix: `test:storage:${prefix}:${randomBytes(6).toString('hex')}:`,
  };
  const app = createApp(deps);
  const server = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
  const replicas: Array<() => Promise<void>> = [];
  let users = 0;
  return {
    url: `http://127.0.0.1:${server.port}`,
    db,
    blobs,
    auth,
    deps,
    redis,
    async user(name = 'user', options = {}) {
      users += 1;
      const userId = `${name}${users}${randomBytes(3).toString('hex')}`;
      const who = { userId, username: userId, isAdmin: options.isAdmin ?? false };
      const { token } = await auth.issueSession(who);
      return { userId, token, apiToken: (scopes) => auth.createToken(who, scopes).token };
    },
    sweepExpiredUploads: (orphanAfterMs) => app.sweepExpiredUploads(orphanAfterMs),
    async replica() {
      const replicaRedis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
      await replicaRedis.connect();
      const replicaLive = createLiveHub({ logger });
      const replicaApp = createApp({ ...deps, redis: replicaRedis, live: replicaLive });
      const replicaServer = await serve(replicaApp, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
      replicas.push(async () => {
        await replicaLive.close().catch(() => undefined);
        await replicaServer.close();
        await replicaApp.closeStorage();
        replicaRedis.disconnect();
      });
      return { url: `http://127.0.0.1:${replicaServer.port}` };
    },
    async close() {
      for (const closeReplica of replicas) await closeReplica();
      await live.close().catch(() => undefined);
      await server.close();
      await app.closeStorage();
      await client.close();
      await db.close();
      redis.disconnect();
      await auth.close();
      await blobs.close();
      await rm(dir, { recursive: true, force: true });
      await testDb.drop();
    },
  };
}

/** Creates a namespace as `token`'s user. */
export async function createNamespace(base: string, token: string, name: string, visibility: 'private' | 'public' = 'private') {
  const res = await call(base, 'POST', '/storage/namespaces', { token, json: { name, visibility } });
  if (res.status !== 201) throw new Error(`namespace ${name}: ${res.status} ${res.text}`);
  return res.body;
}

export const uniqueName = (prefix = 'ns'): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Events of the outbox, oldest first. */
export async function outboxEvents(db: Database): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const { rows } = await db.query<{ type: string; data: Record<string, unknown> }>('SELECT type, data FROM event_outbox ORDER BY seq');
  return rows;
}
