import { env } from '@edd/config';
import { startService } from '@edd/service-runtime';
import { createApp } from './app';
import { startGrpcServer } from './grpc/grpc-server';

// The entry only names what logs needs; the shared runtime reads the config, connects, listens and shuts down.
// Beyond the generated skeleton: the gRPC port (ingestion, grpc.health.v1).
await startService({
  name: 'logs',
  defaultPort: 4005,
  configShape: { GRPC_PORT: env.port().default(50051) },
  events: true,
  auth: true,
  buildApp: (deps, config, logger) => createApp({ ...deps, config, logger }),
  startExtras: async (deps, config, logger) => {
    const grpc = await startGrpcServer({
      host: config.HOST,
      port: config.GRPC_PORT,
      logger,
      isReady: () => deps.bus.isConnected(),
    });
    return grpc.stop;
  },
});
