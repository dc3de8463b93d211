import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';

await startService({
  name: 'storage',
  defaultPort: 4002,
  database: { name: 'storage_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
