import type { ServiceConfig } from '@edd/config';
import { migrate, openDatabase } from '@edd/db';
import type { Database, Migration } from '@edd/db';
import { connectEventBus } from '@edd/events';
import type { EventBus } from '@edd/events';
import { serve } from '@edd/http';
import type { ReadinessCheck, RunningServer } from '@edd/http';
import type { Logger } from '@edd/logger';
import type express from 'express';
import type { Redis } from 'ioredis';
import { connectRedis } from './redis';

export interface ServiceDeps {
  db?: Database;
  bus?: EventBus;
  redis?: Redis;
  /** Readiness checks for the dependencies above, for createServiceApp's `readiness`. */
  readiness: ReadinessCheck[];
}

export interface RunServiceOptions {
  name: string;
  config: ServiceConfig;
  logger: Logger;
  /** `extraMigrations`: a lib's tables (e.g. `outboxMigrations`), applied after the service's own. */
  database?: { name: string; migrationsDir: string; extraMigrations?: readonly Migration[] };
  events?: boolean;
  redis?: boolean;
  buildApp: (deps: ServiceDeps) => Promise<express.Express> | express.Express;
  /** Extra cleanup after the HTTP server drained (stop consumers, timers). */
  onShutdown?: ReadonlyArray<() => Promise<void>>;
  /** Starts what the service runs besides HTTP (a gRPC port, consumers); returns how to stop it. */
  startExtras?: (deps: ServiceDeps) => Promise<() => Promise<void>>;
}

/**
 * Starts a service the same way everywhere: own database created and migrated, NATS and Redis
 * connected, readiness wired to them, HTTP listening, and an orderly shutdown on SIGTERM.
 */
export async function runService(options: RunServiceOptions): Promise<RunningServer> {
  const readiness: ReadinessCheck[] = [];
  const closers: Array<() => Promise<void>> = [];
  const deps: ServiceDeps = { readiness };
  try {
    return await connectAndServe(options, deps, closers);
  } catch (error) {
    // A dependency that fails to connect must not leave the ones before it open (pools, sockets, timers).
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function connectAndServe(options: RunServiceOptions, deps: ServiceDeps, closers: Array<() => Promise<void>>): Promise<RunningServer> {
  const { config, logger } = options;
  const { readiness } = deps;
  if (options.database) {
    const db = await openDatabase({
      serverUrl: config.DATABASE_URL,
      database: config.DATABASE_NAME ?? options.database.name,
      migrationsDir: options.database.migrationsDir,
      logger,
    });
    deps.db = db;
    readiness.push({ name: 'postgres', check: () => db.ping() });
    closers.push(() => db.close());
    const extra = options.database.extraMigrations ? await migrate(db.pool, options.database.extraMigrations) : [];
    if (extra.length) logger.info('migrations applied', { database: db.name, applied: extra });
  }
  if (options.events) {
    const bus = await connectEventBus({
      servers: config.NATS_URL,
      name: options.name,
      user: config.NATS_USER,
      pass: config.NATS_PASSWORD,
      logger,
    });
    await bus.ensureStreams();
    deps.bus = bus;
    readiness.push({ name: 'nats', check: () => bus.ping() });
    closers.push(() => bus.close());
  }
  if (options.redis) {
    const redis = await connectRedis(config.REDIS_URL, options.name);
    deps.redis = redis;
    readiness.push({
      name: 'redis',
      check: async () => {
        await redis.ping();
      },
    });
    closers.push(async () => {
      redis.disconnect();
    });
  }

  const app = await options.buildApp(deps);
  const stopExtras = options.startExtras ? await options.startExtras(deps) : undefined;
  if (stopExtras) closers.push(stopExtras);
  return serve(app, {
    port: config.PORT,
    host: config.HOST,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    // Stop consumers before the connections they use.
    onShutdown: [...(options.onShutdown ?? []), ...[...closers].reverse()],
  });
}
