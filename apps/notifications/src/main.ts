import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { startIntake } from './intake/intake';
import type { UserSockets } from './live/user-sockets';
import { startRetention } from './retention';

let sockets: UserSockets | undefined; // this replica's, from buildApp (which runs before startExtras) for the intake

// The entry only names what notifications needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'notifications',
  defaultPort: 4006,
  database: { name: 'notifications_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => {
    const app = createApp({ ...deps, config, logger });
    sockets = app.notificationsSocket.sockets;
    return app;
  },
  startExtras: async (deps, _config, logger) => {
    const here = sockets;
    const intake = await startIntake({
      db: deps.db,
      bus: deps.bus,
      logger,
      metrics: deps.metrics,
      ...(here ? { deliverHere: (message) => here.deliver(message) } : {}),
    });
    const stopRetention = startRetention(deps.db, logger);
    return async () => {
      await intake.stop();
      await stopRetention();
    };
  },
});
