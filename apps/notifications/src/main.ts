import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { startIntake } from './intake/intake';
import { startRetention } from './retention';

// The entry only names what notifications needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'notifications',
  defaultPort: 4006,
  database: { name: 'notifications_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
  // The intake hands what it stores to this replica's own sockets at once (the app's), before NATS's echo.
  startExtras: async (deps, _config, logger, app) => {
    const here = app.notificationsSocket.sockets;
    const intake = await startIntake({
      db: deps.db,
      bus: deps.bus,
      logger,
      metrics: deps.metrics,
      deliverHere: (message) => here.deliver(message),
    });
    const stopRetention = startRetention(deps.db, logger);
    return async () => {
      await intake.stop();
      await stopRetention();
    };
  },
});
