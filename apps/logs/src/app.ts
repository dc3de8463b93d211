import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { LogsDeps } from './context';
import { mountDownloadRoutes } from './routes/download';
import { mountEntryRoutes } from './routes/entries';
import { mountLiveRoutes } from './routes/live';

/**
 * The log service's HTTP side, all under /logs (the gateway sends `health.<domain>/logs/...` here, prefix kept):
 * archive search, the live tail (WebSocket and SSE) and the daily download. Ingestion is gRPC (grpc/log-service.ts).
 */
export function createApp(deps: LogsDeps) {
  return createServiceApp(serviceAppOptions('logs', deps), (app) => {
    mountEntryRoutes(app, deps);
    mountLiveRoutes(app, deps);
    mountDownloadRoutes(app, deps);
  });
}
