import { env } from '@edd/config';
import { openRecordStream } from '@edd/events';
import type { RecordStream, Stoppable } from '@edd/events';
import { resolveMigrationsDir, startService } from '@edd/service-runtime';
import { createApp } from './app';
import { startArchiveWriter } from './archive/archive-writer';
import { startGrpcServer } from './grpc/grpc-server';
import { LiveTier } from './live/live-tier';

// The entry only names what logs needs; the shared runtime reads the config, connects, listens and shuts down.
// Beyond the skeleton: the gRPC port (ingestion, grpc.health.v1), the live tier (a JetStream stream) and the archive
// writer (live tier -> logs_db).
let stream: RecordStream | undefined;
let liveTier: LiveTier | undefined;

await startService({
  name: 'logs',
  defaultPort: 4005,
  configShape: {
    GRPC_PORT: env.port().default(50051),
    // Tests and benchmarks point these at a stream of their own.
    LOG_STREAM: env.string().default('LOGTAIL'),
    LOG_SUBJECT_PREFIX: env.string().default('logtail'),
    LOG_ARCHIVE_DURABLE: env.string().default('logs_archive'),
    LOG_RETENTION_DAYS: env.int(1, 365).default(14),
  },
  database: { name: 'logs_db', migrationsDir: resolveMigrationsDir(import.meta.url) },
  events: true,
  auth: true,
  buildApp: async (deps, config, logger) => {
    stream = await openRecordStream({
      servers: config.NATS_URL,
      name: 'logs-tail',
      user: config.NATS_USER,
      pass: config.NATS_PASSWORD,
      stream: config.LOG_STREAM,
      subjectPrefix: config.LOG_SUBJECT_PREFIX,
      logger,
    });
    const tail = stream;
    deps.readiness.push({ name: 'logtail', check: () => tail.ping() });
    liveTier = new LiveTier({ stream, logger });
    await liveTier.start();
    return createApp({ ...deps, config, logger, liveTier });
  },
  startExtras: async (deps, config, logger) => {
    if (!stream || !liveTier) throw new Error('live tier not started');
    const tail = stream;
    const live = liveTier;
    const archive: Stoppable = await startArchiveWriter({
      db: deps.db,
      stream: tail,
      bus: deps.bus,
      logger,
      durable: config.LOG_ARCHIVE_DURABLE,
      retentionDays: config.LOG_RETENTION_DAYS,
    });
    const grpc = await startGrpcServer({
      host: config.HOST,
      port: config.GRPC_PORT,
      logger,
      isReady: () => deps.bus.isConnected() && tail.isConnected(),
      logService: { live, serviceKey: config.SERVICE_API_KEY },
    });
    return async () => {
      await grpc.stop();
      await archive.stop();
      await live.stop();
      await tail.close();
    };
  },
});
