import type { Migration } from '@edd/db';
import type { AuthClient } from '@edd/auth-client';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { ReadinessCheck } from '@edd/http';
import type { LiveAuth, LiveHub } from '@edd/live';
import type { Registry } from 'prom-client';
import type { Redis } from 'ioredis';

export interface DatabaseOption {
  /** The service's own database, created at start when missing (DATABASE_NAME overrides it). */
  name: string;
  migrationsDir: string;
  /** A lib's tables (e.g. `outboxMigrations`), applied after the service's own. */
  extraMigrations?: readonly Migration[];
}

/**
 * What a service asks the runtime to connect; each answer shapes the `deps` its buildApp receives. One type
 * parameter per option (not one for the whole object): TypeScript infers those even beside an untyped buildApp.
 */
export interface DependencyOptions<
  D extends DatabaseOption | undefined = DatabaseOption | undefined,
  E extends boolean = boolean,
  R extends boolean = boolean,
  A extends boolean = boolean,
> {
  database?: D;
  /** NATS JetStream (`deps.bus`). */
  events?: E;
  redis?: R;
  /**
   * `deps.auth`: an @edd/auth-client for AUTH_URL with SERVICE_API_KEY, its `authenticate` mounted on every request
   * by serviceAppOptions, and the revocation feed followed on the bus (so `auth: true` connects the bus too).
   */
  auth?: A;
}

/** Everything the runtime may hand a service, each present only when asked for. */
export interface AnyServiceDeps {
  db?: Database;
  bus?: EventBus;
  redis?: Redis;
  auth?: AuthClient;
  /** With `auth`: the same credentials checked on WebSocket upgrades and SSE requests (origin, bearer, ticket, cookie). */
  liveAuth?: LiveAuth;
  /** The service's WebSocket endpoints and SSE streams, attached to its server and closed first at SIGTERM. */
  live: LiveHub;
  /** The service's own metrics (the bus's dead letters, anything it registers), served on `/metrics`. */
  metrics: Registry;
  /** Readiness checks for the dependencies above, for createServiceApp's `readiness`. */
  readiness: ReadinessCheck[];
}

// Asked for (`true`, an object) → there; only known at run time (`boolean`) → maybe; not asked → absent.
type Given<Asked, Yes, T> = [Asked] extends [Yes] ? T : [Asked] extends [false | undefined] ? { [K in keyof T]?: never } : Partial<T>;

/**
 * The dependencies a service receives for what it asked: `{ database: {...}, events: true }` gives `db` and `bus`
 * non-optional and no `redis`, so no main.ts checks `if (!db)`. Type arguments as in DependencyOptions.
 */
export type ServiceDeps<
  D extends DatabaseOption | undefined = undefined,
  E extends boolean = false,
  R extends boolean = false,
  A extends boolean = false,
> = Given<D, DatabaseOption, { db: Database }> &
  Given<A extends true ? true : E, true, { bus: EventBus }> &
  Given<R, true, { redis: Redis }> &
  Given<A, true, { auth: AuthClient; liveAuth: LiveAuth }> & { live: LiveHub; metrics: Registry; readiness: ReadinessCheck[] };
