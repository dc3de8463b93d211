import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/** The NATS -> PostgreSQL -> WebSocket pipeline comes with the notifications issue; today the service runs, migrates and reports health. */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('notifications', deps), () => undefined);
}
