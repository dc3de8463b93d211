import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';

// The entry only names what storage needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'storage',
  defaultPort: 4002,
  database: { name: 'storage_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
});
