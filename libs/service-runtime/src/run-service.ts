import { createAuthClient } from '@edd/auth-client';
import { publicEntryPoints, type ServiceConfig } from '@edd/config';
import { migrate, openDatabase } from '@edd/db';
import { connectEventBus } from '@edd/events';
import { parseEntryPoints, serve } from '@edd/http';
import type { RunningServer } from '@edd/http';
import { attachLive, createLiveAuth, createLiveHub } from '@edd/live';
import type { Logger } from '@edd/logger';
import type express from 'express';
import { Registry } from 'prom-client';
import { connectRedis } from './redis';
import type { AnyServiceDeps, DatabaseOption, DependencyOptions, ServiceDeps } from './service-deps';

/**
 * runService's options: the dependencies asked for (D, E, R, A as in DependencyOptions) type buildApp's `deps`;
 * X is the app buildApp makes, which startExtras gets as it is (its sockets, hubs).
 */
export interface RunServiceOptions<
  D extends DatabaseOption | undefined = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
> extends DependencyOptions<D, E, R, A> {
  name: string;
  config: ServiceConfig;
  logger: Logger;
  buildApp: (deps: ServiceDeps<D, E, R, A>) => Promise<X> | X;
  /** Extra cleanup after the HTTP server drained (stop consumers, timers). */
  onShutdown?: ReadonlyArray<() => Promise<void>>;
  /** Starts what the service runs besides HTTP (a gRPC port, consumers); returns how to stop it. */
  startExtras?: (deps: ServiceDeps<D, E, R, A>, app: X) => Promise<() => Promise<void>>;
}

/**
 * Starts a service the same way everywhere: own database created and migrated, NATS and Redis
 * connected, the auth client ready, readiness wired to them, HTTP listening, and an orderly shutdown on SIGTERM.
 */
export async function runService<
  D extends DatabaseOption | undefined = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
  X extends express.Express = express.Express,
>(options: RunServiceOptions<D, E, R, A, X>): Promise<RunningServer> {
  const closers: Array<() => Promise<void>> = [];
  try {
    // Sound: connectDependencies connects exactly what `options` asks for, which is what ServiceDeps<D, E, R, A> says.
    const deps = (await connectDependencies(options, closers)) as ServiceDeps<D, E, R, A>;
    const app = await options.buildApp(deps);
    const stopExtras = options.startExtras ? await options.startExtras(deps, app) : undefined;
    if (stopExtras) closers.push(stopExtras);
    const running = await serve(app, {
      port: options.config.PORT,
      host: options.config.HOST,
      logger: options.logger,
      graceMs: options.config.SHUTDOWN_GRACE_MS,
      onDrainStart: [() => deps.live.close()],
      // Stop consumers before the connections they use.
      onShutdown: [...(options.onShutdown ?? []), ...[...closers].reverse()],
    });
    attachLive(running.server, deps.live);
    return running;
  } catch (error) {
    // A dependency that fails to connect must not leave the ones before it open (pools, sockets, timers).
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function connectDependencies(
  options: DependencyOptions & { name: string; config: ServiceConfig; logger: Logger },
  closers: Array<() => Promise<void>>,
): Promise<AnyServiceDeps> {
  const { config, logger } = options;
  const deps: AnyServiceDeps = { readiness: [], live: createLiveHub({ logger }), metrics: new Registry() };
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
  if (options.events || options.auth) {
    const bus = await connectEventBus({
      servers: config.NATS_URL,
      name: options.name,
      user: config.NATS_USER,
      pass: config.NATS_PASSWORD,
      logger,
      metricsRegistry: deps.metrics,
    });
    closers.push(() => bus.close());
    await bus.ensureStreams();
    deps.bus = bus;
    readiness.push({ name: 'nats', check: () => bus.ping() });
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
  if (options.auth) {
    // Not a readiness check: while auth is down, requests with credentials get 503 and anonymous ones still work.
    const auth = createAuthClient({ authBaseUrl: config.AUTH_URL, serviceKey: config.SERVICE_API_KEY, bus: deps.bus, logger });
    closers.push(() => auth.close());
    await auth.ready();
    deps.auth = auth;
    deps.liveAuth = createLiveAuth({
      client: auth,
      domain: config.EDD_DOMAIN,
      extraOrigins: config.CORS_EXTRA_ORIGINS,
      entryPoints: parseEntryPoints(publicEntryPoints(config)),
      audience: options.name,
      logger,
    });
  }
  return deps;
}
