import { idempotencyMigrations } from '@edd/http';
import { outboxMigrations, startOutboxRelay } from '@edd/outbox';
import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { loadComputeConfig, sealerOf } from './config';
import { startContainerFeed } from './live/container-feed';
import { Reconciler } from './reconcile/reconciler';
import { selectRuntime } from './runtime/select-runtime';
import { consumeUserDeletions } from './services/user-deleted';

// The entry only names what compute needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'compute',
  loadConfig: () => loadComputeConfig(),
  database: {
    name: 'compute_db',
    migrationsDir: resolveMigrationsDir(import.meta.url),
    extraMigrations: [...outboxMigrations, ...idempotencyMigrations],
  },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => {
    const selected = selectRuntime(config, logger);
    const sealer = sealerOf(config);
    const rec = new Reconciler({ db: deps.db, runtime: selected, sealer, logger });
    // Reported, not fatal: without a runtime compute still serves its API and says what is missing.
    deps.readiness.push({
      name: 'runtime',
      advisory: true,
      check: async () => {
        const availability = await selected.availability();
        if (!availability.available) throw new Error(`${selected.name}: ${availability.reason}. ${availability.remedy}`);
      },
    });
    const app = createApp({ ...deps, config, logger, runtime: selected, sealer, kick: (id) => rec.kick(id) });
    // startExtras starts (and stops) the reconciler and runtime made here.
    return Object.assign(app, { reconciler: rec, runtime: selected });
  },
  // Events are written with the data (the outbox); the relay publishes them, and keeps them through a NATS outage.
  startExtras: async (deps, _config, logger, { reconciler: rec, runtime, sockets }) => {
    const relay = startOutboxRelay({ db: deps.db, bus: deps.bus, logger, metricsRegistry: deps.metrics });
    const consumer = await consumeUserDeletions({ db: deps.db, logger, bus: deps.bus, kick: (id) => rec.kick(id) });
    const feed = await startContainerFeed(deps.bus, sockets);
    rec.start();
    return async () => {
      await rec.stop();
      await feed.stop();
      await consumer.stop();
      await relay.stop();
      await runtime.close();
    };
  },
});
