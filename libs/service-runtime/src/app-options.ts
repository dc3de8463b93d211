import type { ServiceConfig } from '@edd/config';
import type { ReadinessCheck, ServiceAppOptions } from '@edd/http';
import type { Logger } from '@edd/logger';

export interface ServiceAppDeps {
  config: ServiceConfig;
  logger: Logger;
  readiness: ReadinessCheck[];
}

/** createServiceApp's options as every service fills them from its config and dependencies. */
export function serviceAppOptions(service: string, deps: ServiceAppDeps, overrides: Partial<ServiceAppOptions> = {}): ServiceAppOptions {
  return {
    service,
    logger: deps.logger,
    domain: deps.config.EDD_DOMAIN,
    extraOrigins: deps.config.CORS_EXTRA_ORIGINS,
    readiness: deps.readiness,
    ...overrides,
  };
}
