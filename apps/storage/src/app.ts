import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/** Namespaces and files come with the storage issue; today the service runs, migrates and reports health. */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('storage', deps), () => undefined);
}
