import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testUsers, type FakeAuth, type TestUser } from '@edd/auth-client/testing';
import { loadServiceConfig } from '@edd/config';
import type { Database } from '@edd/db';
import { idempotencyMigrations } from '@edd/http';
import { call } from '@edd/http/testing';
import { createLiveHub } from '@edd/live';
import { outboxMigrations } from '@edd/outbox';
import { connectTestServiceDeps, serveTestApp, testBackends, testBackendsEnv } from '@edd/service-runtime/testing';
import { Redis } from 'ioredis';
import { createApp } from '../src/app';
import { FsBlobStore } from '../src/blobs';
import { storageConfigShape, type StorageConfig } from '../src/config';
import type { StorageDeps } from '../src/context';

// The tests' JSON client and outbox reader, shared by the services' harnesses.
export { call };
export { outboxEvents } from '@edd/outbox/testing';

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

export type { TestUser };

/** One storage instance on a fresh database, a temp dir for bytes, a unique Redis prefix and a fake auth. */
export async function startStorage(prefix: string, env: Record<string, string> = {}): Promise<Storage> {
  const backends = await testBackends(`storage_${prefix}`);
  const { auth } = backends;
  const dir = await mkdtemp(join(tmpdir(), 'storage-test-'));
  const config = loadServiceConfig(0, storageConfigShape, { ...testBackendsEnv(backends), STORAGE_DIR: dir, ...env }) as StorageConfig;
  const base = await connectTestServiceDeps(backends, {
    service: 'storage',
    migrationsDir: MIGRATIONS,
    extraMigrations: [...outboxMigrations, ...idempotencyMigrations],
    maxConnections: 6,
    config,
  });
  const { logger, db } = base.deps;
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const blobs = new FsBlobStore({ root: dir });
  const deps: StorageDeps = {
    ...base.deps,
    config,
    redis,
    blobs,
    redisPrefix: `test:storage:${prefix}:${randomBytes(6).toString('hex')}:`,
  };
  const app = createApp(deps);
  const served = await serveTestApp(app, deps);
  const replicas: Array<() => Promise<void>> = [];
  return {
    url: served.url,
    db,
    blobs,
    auth,
    deps,
    redis,
    user: testUsers(auth),
    sweepExpiredUploads: (orphanAfterMs) => app.sweepExpiredUploads(orphanAfterMs),
    async replica() {
      const replicaRedis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
      await replicaRedis.connect();
      const replicaLive = createLiveHub({ logger });
      const replicaApp = createApp({ ...deps, redis: replicaRedis, live: replicaLive });
      const replicaServed = await serveTestApp(replicaApp, { logger, live: replicaLive });
      replicas.push(async () => {
        await replicaServed.close();
        await replicaApp.closeStorage();
        replicaRedis.disconnect();
      });
      return { url: replicaServed.url };
    },
    async close() {
      for (const closeReplica of replicas) await closeReplica();
      await served.close();
      await app.closeStorage();
      await base.close();
      redis.disconnect();
      await blobs.close();
      await rm(dir, { recursive: true, force: true });
      await backends.close();
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
