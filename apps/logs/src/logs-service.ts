import { env } from '@edd/config';
import type { ServiceConfig } from '@edd/config';
import { openRecordStream } from '@edd/events';
import type { RecordStream } from '@edd/events';
import { drainLogTransports } from '@edd/logger';
import type { Logger } from '@edd/logger';
import type { ServiceDeps } from '@edd/service-runtime';
import type { DatabaseOption } from '@edd/service-runtime';
import { createApp } from './app';
import { startArchiveWriter } from './archive/archive-writer';
import { startGrpcServer } from './grpc/grpc-server';
import { LiveTier } from './live/live-tier';

/** The log service's own variables, on top of the shared service configuration. */
export const logsConfigShape = {
  GRPC_PORT: env.port().default(50051),
  // Tests and benchmarks point these at a stream of their own.
  LOG_STREAM: env.string().default('LOGTAIL'),
  LOG_SUBJECT_PREFIX: env.string().default('logtail'),
  LOG_ARCHIVE_DURABLE: env.string().default('logs_archive'),
  LOG_RETENTION_DAYS: env.int(1, 365).default(14),
};

export interface LogsConfig extends ServiceConfig {
  GRPC_PORT: number;
  LOG_STREAM: string;
  LOG_SUBJECT_PREFIX: string;
  LOG_ARCHIVE_DURABLE: string;
  LOG_RETENTION_DAYS: number;
}

type LogsServiceDeps = ServiceDeps<DatabaseOption, true, false, true>;

/**
 * What the log service runs besides the runtime's dependencies: the live tier (a JetStream stream, opened before the
 * app so its routes have it), then the archive writer and the gRPC port. `grpcPort()` is the bound port (tests use 0).
 */
export function logsServiceParts() {
  let stream: RecordStream | undefined;
  let liveTier: LiveTier | undefined;
  let boundGrpcPort = 0;
  return {
    grpcPort: () => boundGrpcPort,
    buildApp: async (deps: LogsServiceDeps, config: LogsConfig, logger: Logger) => {
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
    startExtras: async (deps: LogsServiceDeps, config: LogsConfig, logger: Logger) => {
      if (!stream || !liveTier) throw new Error('live tier not started');
      const tail = stream;
      const live = liveTier;
      const archive = await startArchiveWriter({
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
      boundGrpcPort = grpc.port;
      return async () => {
        // This service ships its own lines (LOG_SERVICE_URL) through a gRPC port like every other service, usually
        // its own. The runtime drains the transport last, after this stopper: by then the port is closed and the
        // lines logged while shutting down ('shutting down', the HTTP drain) were lost, though every other service's
        // reach the log service. So they are sent now, while the port and the live tier still take them; what the
        // steps below log goes to stdout only.
        await drainLogTransports();
        await grpc.stop();
        await archive.stop();
        await live.stop();
        await tail.close();
      };
    },
  };
}
