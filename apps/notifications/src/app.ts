import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/**
 * Notifications: every service's events reach the right person live, exactly once.
 * Routes go in src/routes/ by resource, each behind its guard (requireScope, requireSession); live updates through
 * deps.live (see libs/service-runtime/README.md).
 */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('notifications', deps), () => undefined);
}
