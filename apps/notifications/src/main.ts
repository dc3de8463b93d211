import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';

await startService({
  name: 'notifications',
  defaultPort: 4006,
  database: { name: 'notifications_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
