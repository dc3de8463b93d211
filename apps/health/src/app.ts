import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/** Cluster metrics and SSE come with the health issue; today the service runs and reports health. */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('health', deps), () => undefined);
}
