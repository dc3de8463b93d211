import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';

await startService({
  name: 'compute',
  defaultPort: 4003,
  database: { name: 'compute_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
