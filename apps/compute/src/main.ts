import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';

// The entry only names what compute needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'compute',
  defaultPort: 4003,
  database: { name: 'compute_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
