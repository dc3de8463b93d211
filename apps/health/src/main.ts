import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { loadHealthConfig } from './config';
import { selectSource } from './sources/select-source';
import { startMonitor } from './start-monitor';

// The entry only names what health needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'health',
  loadConfig: () => loadHealthConfig(),
  database: { name: 'health_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
  // The monitor feeds the app's live feed (the one its WebSocket serves).
  startExtras: async (deps, config, logger, { feed }) => {
    const monitor = await startMonitor({ deps, config, logger, source: selectSource(config, logger), feed });
    return () => monitor.stop();
  },
});
