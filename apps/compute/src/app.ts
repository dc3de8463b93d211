import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { ServiceAppDeps } from '@edd/service-runtime';

/** Containers, SSH keys and ingress come with the compute issue; today the service runs, migrates and reports health. */
export function createApp(deps: ServiceAppDeps) {
  return createServiceApp(serviceAppOptions('compute', deps), () => undefined);
}
