import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { loadHealthConfig } from './config';
import type { HealthFeed } from './live/health-feed';
import { selectSource } from './sources/select-source';
import { startMonitor } from './start-monitor';

// Made in buildApp (which runs first), followed in startExtras.
let feed: HealthFeed | undefined;

// The entry only names what health needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'health',
  loadConfig: () => loadHealthConfig(),
  database: { name: 'health_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => {
    const app = createApp({ ...deps, config, logger });
    feed = app.feed;
    return app;
  },
  startExtras: async (deps, config, logger) => {
    if (!feed) throw new Error('startExtras ran before buildApp');
    const monitor = await startMonitor({ deps, config, logger, source: selectSource(config, logger), feed });
    return () => monitor.stop();
  },
});
