import type { AuthClient } from '@edd/auth-client';
import { publicEntryPoints, type ServiceConfig } from '@edd/config';
import { parseEntryPoints, type ReadinessCheck, type ServiceAppOptions } from '@edd/http';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';

export interface ServiceAppDeps {
  config: ServiceConfig;
  logger: Logger;
  readiness: ReadinessCheck[];
  /** Present when the service asked for `auth: true`: its `authenticate` runs on every request. */
  auth?: AuthClient;
  /** The service's own metrics registry (the runtime's `deps.metrics`), served on `/metrics`. */
  metrics?: Registry;
}

/** createServiceApp's options as every service fills them from its config and dependencies. */
export function serviceAppOptions(service: string, deps: ServiceAppDeps, overrides: Partial<ServiceAppOptions> = {}): ServiceAppOptions {
  const { auth } = deps;
  return {
    service,
    logger: deps.logger,
    domain: deps.config.EDD_DOMAIN,
    extraOrigins: deps.config.CORS_EXTRA_ORIGINS,
    entryPoints: parseEntryPoints(publicEntryPoints(deps.config)),
    trustedProxies: deps.config.TRUSTED_PROXIES,
    readiness: deps.readiness,
    metricsKey: deps.config.SERVICE_API_KEY,
    extraMetrics: deps.metrics ? [deps.metrics] : [],
    ...(auth ? { authentication: { middleware: auth.authenticate, userIdOf: (req) => req.principal?.userId } } : {}),
    ...overrides,
  };
}
