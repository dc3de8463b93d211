import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { loadAuthConfig } from './config';

// The entry point only names what auth needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'auth',
  loadConfig: () => loadAuthConfig(),
  database: { name: 'auth_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  redis: true,
  buildApp: ({ db, bus, redis, readiness }, config, logger) => createApp({ config, logger, db, bus, redis, readiness }),
});
