import type { IncomingMessage } from 'node:http';
import type { Logger } from '@edd/logger';
import express from 'express';
import type { Registry } from 'prom-client';
import type { Request, RequestHandler } from 'express';
import { accessLog } from './access-log';
import { corsMiddleware, type CorsHeaders, type EntryPoint } from './cors';
import { errorHandler, notFoundHandler } from './error-handler';
import { createHttpMetrics } from './metrics';
import { requestIdMiddleware } from './request-id';
import { requestDeadline } from './request-deadline';
import { clientAddressMiddleware } from './client-address';
import { DEFAULT_TRUSTED_PROXIES, trustedProxyMatcher } from './trusted-proxies';
import { identifyRequestLogger, requestLogger } from './request-logger';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
  /**
   * Reported, never fatal: when it fails the service stays ready (200), the check shows `degraded` and its error's
   * message appears under `details` (e.g. compute without a container runtime still serves its API).
   */
  advisory?: boolean;
}

export interface ServiceAppOptions {
  service: string;
  logger: Logger;
  /** EDD_DOMAIN: the platform's origins are this domain and its subdomains. */
  domain: string;
  extraOrigins?: readonly string[];
  /** PUBLIC_ENTRY_POINTS: the schemes and ports the platform is served on (default `https:443` only). */
  entryPoints?: readonly EntryPoint[];
  /** Headers the service's own protocol adds to CORS (allowed request headers, exposed response headers). */
  corsHeaders?: CorsHeaders;
  /** Largest JSON body accepted (body-parser syntax); bigger ones get 413. */
  bodyLimit?: string;
  /**
   * Which requests get their JSON body parsed (default: every `application/json` one). A route that streams its
   * raw body (a file upload whose type happens to be JSON) must be left out, or the parser would consume it.
   */
  parseJsonBody?: (req: IncomingMessage) => boolean;
  readiness?: readonly ReadinessCheck[];
  /**
   * TRUSTED_PROXIES: the peers whose X-Forwarded-* headers are believed (addresses, CIDR ranges, `loopback`);
   * default the gateway on the same machine (`loopback`). req.ip is the right-most hop of X-Forwarded-For that is
   * not one of them, so a client, on a private network or not, cannot choose its own address.
   */
  trustedProxies?: readonly string[];
  /**
   * SERVICE_API_KEY: `/metrics` answers only callers presenting it (X-Service-Key or Bearer), since the gateway
   * forwards every path of a service's host. Without it `/metrics` is not served (requests are still counted).
   */
  metricsKey?: string;
  /** The service's own metrics (its bus's dead letters, an outbox backlog), served on `/metrics` with the HTTP ones. */
  extraMetrics?: readonly Registry[];
  /** Mounted after the health endpoints, before the routes: establishes the caller (@edd/auth-client's `authenticate`). */
  authentication?: Authentication;
}

export interface Authentication {
  middleware: RequestHandler;
  /** The authenticated caller's user id, added to the request's logger (`req.log`); undefined when anonymous. */
  userIdOf: (req: Request) => string | undefined;
}

const READINESS_TIMEOUT_MS = 2_000;

function withTimeout(check: ReadinessCheck): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), READINESS_TIMEOUT_MS);
    check
      .check()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

/**
 * The Express app every service starts from: request id and request logger (`req.log`), metrics, access log,
 * CORS for the platform's own origins, bounded JSON bodies, health endpoints and `/metrics`, authentication when
 * given, then the service's routes, then JSON 404 and errors.
 */
export function createServiceApp(options: ServiceAppOptions, mountRoutes: (app: express.Express) => void): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const isTrustedProxy = trustedProxyMatcher(options.trustedProxies ?? DEFAULT_TRUSTED_PROXIES);
  // Express consults it for req.protocol and req.hostname; req.ip is set from the same list just below.
  app.set('trust proxy', (address: string) => isTrustedProxy(address));
  app.use(clientAddressMiddleware(isTrustedProxy));
  const metrics = createHttpMetrics();
  app.use(requestIdMiddleware);
  app.use(requestLogger(options.logger));
  app.use(metrics.record);
  app.use(accessLog());
  app.use(corsMiddleware(options.domain, options.extraOrigins ?? [], options.corsHeaders, options.entryPoints));
  // Before the body is read and before any route: past the gateway's deadline nothing runs.
  app.use(requestDeadline());
  app.use(express.json({ limit: options.bodyLimit ?? '1mb', type: options.parseJsonBody ?? 'application/json' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = options.readiness ?? [];
    const results = await Promise.allSettled(checks.map(withTimeout));
    const failing = checks.filter((c, i) => !c.advisory && results[i]?.status === 'rejected').map((c) => c.name);
    const details: Record<string, string> = {};
    checks.forEach((c, i) => {
      const result = results[i];
      if (c.advisory && result?.status === 'rejected')
        details[c.name] = result.reason instanceof Error ? result.reason.message : String(result.reason);
    });
    const stateOf = (c: ReadinessCheck) => (failing.includes(c.name) ? 'failing' : c.name in details ? 'degraded' : 'ok');
    res.status(failing.length ? 503 : 200).json({
      status: failing.length ? 'unavailable' : 'ready',
      service: options.service,
      checks: Object.fromEntries(checks.map((c) => [c.name, stateOf(c)])),
      ...(Object.keys(details).length ? { details } : {}),
    });
  });

  if (options.metricsKey !== undefined) app.get('/metrics', metrics.endpoint(options.metricsKey, options.extraMetrics));

  if (options.authentication) {
    app.use(options.authentication.middleware);
    app.use(identifyRequestLogger(options.authentication.userIdOf));
  }

  mountRoutes(app);

  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}
