import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@edd/logger';
import { addHealthService } from './health-service';
import { addLogService } from './log-service';
import type { LogServiceOptions } from './log-service';
import type { ServingStatus } from './health-service';

// One message (a PushLogs batch, a GetLogs answer) at most; larger batches are refused, split them.
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The log service's gRPC port: grpc.health.v1 and logging.LogService (when given). Returns its stopper. */
export async function startGrpcServer(options: {
  host: string;
  port: number;
  logger: Logger;
  isReady: () => boolean;
  logService?: LogServiceOptions;
}): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_concurrent_streams': 100,
    'grpc.keepalive_time_ms': 60_000,
  });
  addHealthService(server, (service): ServingStatus => {
    if (service !== '' && service !== 'edd.logs.LogService' && service !== 'logging.LogService') return 3;
    return options.isReady() ? 1 : 2;
  });
  if (options.logService) addLogService(server, options.logService);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  options.logger.info('grpc listening', { host: options.host, port });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 5_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
