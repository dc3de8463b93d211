import type { AuthClient } from '@edd/auth-client';
import { env } from '@edd/config';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type express from 'express';
import type { Redis } from 'ioredis';
import { expectTypeOf, it } from 'vitest';
import { runService } from './run-service';
import { startService } from './start-service';

// These functions are never called: tsc (the typecheck target) checks them, vitest only loads the file.
declare const app: express.Express;
const database = { name: 'x_db', migrationsDir: '/nowhere' };

it('gives a service exactly the dependencies it asked for, non-optional', () => {
  expectTypeOf(() =>
    startService({
      name: 'everything',
      defaultPort: 0,
      database,
      events: true,
      redis: true,
      auth: true,
      buildApp: ({ db, bus, redis, auth }) => {
        expectTypeOf(db).toEqualTypeOf<Database>();
        expectTypeOf(bus).toEqualTypeOf<EventBus>();
        expectTypeOf(redis).toEqualTypeOf<Redis>();
        expectTypeOf(auth).toEqualTypeOf<AuthClient>();
        return app;
      },
      startExtras: async ({ db, bus }) => {
        expectTypeOf(db).toEqualTypeOf<Database>();
        expectTypeOf(bus).toEqualTypeOf<EventBus>();
        return async () => undefined;
      },
    }),
  ).toBeFunction();
});

it('gives nothing it was not asked for', () => {
  expectTypeOf(() =>
    startService({
      name: 'bare',
      defaultPort: 0,
      buildApp: (deps) => {
        // @ts-expect-error no database was asked for
        deps.db.ping();
        // @ts-expect-error no bus was asked for
        deps.bus.ping();
        // @ts-expect-error no Redis was asked for
        deps.redis.ping();
        // @ts-expect-error no auth was asked for
        deps.auth.ready();
        return app;
      },
    }),
  ).toBeFunction();
});

it('connects the bus for authentication, whose revocations travel on it', () => {
  expectTypeOf(() =>
    runService({
      name: 'auth-only',
      config: {} as Parameters<typeof runService>[0]['config'],
      logger: {} as Parameters<typeof runService>[0]['logger'],
      auth: true,
      buildApp: ({ bus, auth, db }) => {
        expectTypeOf(bus).toEqualTypeOf<EventBus>();
        expectTypeOf(auth).toEqualTypeOf<AuthClient>();
        expectTypeOf(db).toEqualTypeOf<undefined>();
        return app;
      },
    }),
  ).toBeFunction();
});

it('types a dependency only known at run time as optional', () => {
  const wantsRedis = process.env['X'] === '1';
  expectTypeOf(() =>
    startService({
      name: 'maybe',
      defaultPort: 0,
      redis: wantsRedis,
      buildApp: ({ redis }) => {
        expectTypeOf(redis).toEqualTypeOf<Redis | undefined>();
        return app;
      },
    }),
  ).toBeFunction();
});

it('types the config from the service-specific shape or loader', () => {
  expectTypeOf(() =>
    startService({
      name: 'shaped',
      defaultPort: 0,
      configShape: { GRPC_PORT: env.port().default(50051) },
      events: true,
      buildApp: (deps, config) => {
        expectTypeOf(config.GRPC_PORT).toEqualTypeOf<number>();
        expectTypeOf(config.SERVICE_API_KEY).toEqualTypeOf<string>();
        expectTypeOf(deps.bus).toEqualTypeOf<EventBus>();
        return app;
      },
    }),
  ).toBeFunction();
});
