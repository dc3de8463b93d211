import * as grpc from '@grpc/grpc-js';
import type { Logger } from '@edd/logger';
import { addHealthService } from './health-service';
import type { ServingStatus } from './health-service';

const MAX_MESSAGE_BYTES = 1024 * 1024;

/** The log service's gRPC port: health today, log ingestion with the logs issue. Returns its stopper. */
export async function startGrpcServer(options: {
  host: string;
  port: number;
  logger: Logger;
  isReady: () => boolean;
}): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_concurrent_streams': 100,
    'grpc.keepalive_time_ms': 60_000,
  });
  addHealthService(server, (service): ServingStatus => {
    if (service !== '' && service !== 'edd.logs.LogService') return 3;
    return options.isReady() ? 1 : 2;
  });
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
