import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HttpError } from './errors';
import { registerLogTransportMetrics } from './log-transport-metrics';
import { sendHttpError } from './send-error';
import { presentsServiceKey } from './service-key';

/** Label of a request no route matched (404s, bodies refused before routing): never the raw path. */
export const UNMATCHED_ROUTE = '(unmatched)';
/** Label once MAX_ROUTES distinct patterns were seen: a bug (patterns built per request) must not grow memory. */
export const OTHER_ROUTE = '(other)';
const MAX_ROUTES = 500;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Process metrics (CPU, memory, event loop, GC, the log transport) are the process's, whichever app renders them:
// registered once.
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    registerLogTransportMetrics(processRegistry);
  }
  return processRegistry;
}

/** The matched Express route pattern (with its router's mount path), or UNMATCHED_ROUTE. */
function routePattern(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (path === undefined) return UNMATCHED_ROUTE;
  return `${req.baseUrl}${Array.isArray(path) ? path.join('|') : String(path)}`;
}

export interface HttpMetrics {
  /** This app's own registry: several apps in one process (tests) never share counters. */
  registry: Registry;
  /** Counts and times every request, labelled on `finish` once routing is known. */
  record: RequestHandler;
  /** GET /metrics: Prometheus text (this registry, `extra`, the process metrics) for holders of the service key, 401 for everyone else. */
  endpoint(serviceKey: string, extra?: readonly Registry[]): RequestHandler;
}

export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request reaching the app to the end of its response, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const seenRoutes = new Set<string>();
  const boundedRoute = (route: string): string => {
    if (seenRoutes.has(route)) return route;
    if (seenRoutes.size >= MAX_ROUTES) return OTHER_ROUTE;
    seenRoutes.add(route);
    return route;
  };

  const record = (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('finish', () => {
      const route = boundedRoute(routePattern(req));
      requests.inc({ method: req.method, route, status: res.statusCode });
      duration.observe({ method: req.method, route }, (performance.now() - started) / 1000);
    });
    next();
  };

  const endpoint =
    (serviceKey: string, extra: readonly Registry[] = []): RequestHandler =>
    async (req, res) => {
      if (!presentsServiceKey(req, serviceKey)) {
        sendHttpError(
          res,
          new HttpError('unauthenticated', 'metrics require the service key', {
            headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
          }),
        );
        return;
      }
      const merged = Registry.merge([registry, ...extra, processMetrics()]);
      res.setHeader('Content-Type', merged.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await merged.metrics());
    };

  return { registry, record, endpoint };
}
