import type { RequestHandler } from 'express';
import type { LiveAuth } from './live-auth';

/**
 * For SSE routes: the same origin and credential rules as a WebSocket upgrade (an EventSource cannot set headers
 * either, so `?ticket=` is accepted); sets `req.principal` or answers `{"error": ...}` with the refusal's status.
 */
export function requireLiveAuth(auth: LiveAuth): RequestHandler {
  return async (req, res, next) => {
    const result = await auth.check(req);
    if (result.ok) {
      req.principal = result.principal;
      return next();
    }
    // RFC 6750 §3: a 401 names the scheme.
    if (result.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="edd-cloud"');
    if (result.status === 503) res.setHeader('Retry-After', '1');
    res.status(result.status).json({ error: result.error });
  };
}
