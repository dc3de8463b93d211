import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@edd/logger';
import { createAdminAuth, type AdminAuthFailure } from './admin-auth';
import { handleRoutesApi } from './admin-routes-api';
import type { RoutesApiDeps } from './admin-routes-api';
import { sendError, sendJson } from './http-json';
import type { GatewayMetrics } from './metrics';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface AdminServerOptions extends RoutesApiDeps {
  host: string;
  port: number;
  /** GATEWAY_ADMIN_TOKEN; undefined disables /admin/* (403). */
  token: string | undefined;
  metrics: Pick<GatewayMetrics, 'render'>;
  readiness: readonly ReadinessCheck[];
  logger: Logger;
  checkTimeoutMs?: number;
}

export interface AdminServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

async function runChecks(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        results[name] = 'ok';
      } catch (error) {
        results[name] = (error as Error).message || 'failed';
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results;
}

// RFC 6750 §3: a 401 names the scheme; a refused token also says why (invalid_token).
const CHALLENGES: Partial<Record<AdminAuthFailure, Record<string, string>>> = {
  unauthenticated: { 'www-authenticate': 'Bearer realm="gateway-admin"' },
  invalid_credential: { 'www-authenticate': 'Bearer realm="gateway-admin", error="invalid_token"' },
};

/** Operations port (loopback by default): health, readiness, Prometheus metrics and the route admin API. */
export function createAdminHandler(options: AdminServerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const authenticate = createAdminAuth(options.token);
  return async (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const checks = await runChecks(options.readiness, options.checkTimeoutMs ?? 2_000);
      const ready = Object.values(checks).every((v) => v === 'ok');
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', checks });
    }
    if (path === '/metrics') {
      const text = options.metrics.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(text);
    }
    if (path === '/admin' || path.startsWith('/admin/')) {
      const auth = authenticate(req.headers.authorization);
      if (!auth.ok) {
        req.resume();
        return sendError(res, auth.code, auth.message, CHALLENGES[auth.code]);
      }
      if (await handleRoutesApi(req, res, path, options)) return;
    }
    req.resume();
    sendError(res, 'not_found');
  };
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const handler = createAdminHandler(options);
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      options.logger.error('admin request failed', { method: req.method, url: req.url, error });
      if (!res.headersSent) sendError(res, 'internal');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info('admin server listening', { host: options.host, port });
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
