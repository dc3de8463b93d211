import { idempotencyMigrations } from '@edd/http';
import { outboxMigrations, startOutboxRelay } from '@edd/outbox';
import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { loadAuthConfig } from './config';

// The entry point only names what auth needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'auth',
  loadConfig: () => loadAuthConfig(),
  database: {
    name: 'auth_db',
    migrationsDir: resolveMigrationsDir(import.meta.url),
    extraMigrations: [...outboxMigrations, ...idempotencyMigrations],
  },
  events: true,
  redis: true,
  buildApp: ({ db, redis, readiness }, config, logger) => createApp({ config, logger, db, redis, readiness }),
  // Events are written with the data (the outbox); the relay publishes them, and keeps them through a NATS outage.
  startExtras: async ({ db, bus, metrics }, _config, logger) => {
    const relay = startOutboxRelay({ db, bus, logger, metricsRegistry: metrics });
    return () => relay.stop();
  },
});
