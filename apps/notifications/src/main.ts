import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';

// The entry only names what notifications needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'notifications',
  defaultPort: 4006,
  database: { name: 'notifications_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
