import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/** Log ingestion (gRPC) and SSE streaming come with the logs issue; today the service runs and reports health. */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('logs', deps), () => undefined);
}
