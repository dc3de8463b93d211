import { idempotencyMigrations } from '@edd/http';
import { outboxMigrations, startOutboxRelay } from '@edd/outbox';
import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { createBlobStore, type BlobStore } from './blobs';
import { storageConfigShape } from './config';
import { purgeDeletingNamespaces } from './services/purge';
import { consumeUserDeletions } from './services/user-deleted';

const REDIS_PREFIX = 'storage:';
// Made in buildApp (which runs first), shared with startExtras and closed with them.
let blobs: BlobStore | undefined;
let app: ReturnType<typeof createApp> | undefined;

// The entry only names what storage needs; the shared runtime reads the config, connects, listens and shuts down.
await startService({
  name: 'storage',
  defaultPort: 4002,
  configShape: storageConfigShape,
  database: {
    name: 'storage_db',
    migrationsDir: resolveMigrationsDir(import.meta.url),
    extraMigrations: [...outboxMigrations, ...idempotencyMigrations],
  },
  events: true,
  redis: true,
  auth: true,
  buildApp: async (deps, config, logger) => {
    const store = await createBlobStore(config, logger);
    blobs = store;
    await store.probe();
    deps.readiness.push({ name: 'blobs', check: () => store.probe() });
    app = createApp({ ...deps, config, logger, blobs: store, redisPrefix: REDIS_PREFIX });
    return app;
  },
  // Events are written with the data (the outbox); the relay publishes them, and keeps them through a NATS outage.
  startExtras: async (deps, config, logger) => {
    const relay = startOutboxRelay({ db: deps.db, bus: deps.bus, logger, metricsRegistry: deps.metrics });
    const store = blobs ?? (await createBlobStore(config, logger));
    const consumer = await consumeUserDeletions({ ...deps, config, logger, blobs: store, redisPrefix: REDIS_PREFIX });
    // Deletions a previous process started and sweeps of what a killed upload left: in the background.
    void purgeDeletingNamespaces(deps.db, store, logger);
    // What a killed upload left, and tus uploads past their expiry: at start and then every sweep interval.
    const sweep = () => {
      void store
        .sweepIncomplete(config.STORAGE_SWEEP_AFTER_MS)
        .catch((error: unknown) => logger.warn('blob sweep failed', { error: String(error) }));
      void app
        ?.sweepExpiredUploads(config.STORAGE_SWEEP_AFTER_MS)
        .catch((error: unknown) => logger.warn('tus sweep failed', { error: String(error) }));
    };
    sweep();
    const sweeper = setInterval(sweep, config.STORAGE_SWEEP_AFTER_MS);
    sweeper.unref();
    return async () => {
      clearInterval(sweeper);
      await consumer.stop();
      await relay.stop();
      await app?.closeStorage();
      await store.close();
    };
  },
});
