import type { NextFunction, Request, Response } from 'express';

/**
 * True when `origin` is the platform's own: `domain` itself or a service host one label below it
 * (`auth.<domain>`), over http or https, on any port, or one of the explicitly listed extra origins.
 * Deeper names are user content (`<container-id>.compute.<domain>` serves whatever a user deploys), so
 * they get no CORS headers at all, like every other origin.
 */
export function isAllowedOrigin(origin: string, domain: string, extraOrigins: readonly string[] = []): boolean {
  if (extraOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  // An Origin is scheme://host[:port] only (RFC 6454 §6.1); anything more is forged.
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || origin.endsWith('/')) return false;
  const host = url.hostname.toLowerCase();
  const base = domain.toLowerCase();
  if (host === base) return true;
  if (!host.endsWith(`.${base}`)) return false;
  const label = host.slice(0, -base.length - 1);
  return label.length > 0 && !label.includes('.');
}

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
// The tus headers let a dashboard on another subdomain upload resumably to storage (/storage/uploads).
const ALLOWED_HEADERS =
  'Content-Type, Authorization, X-Request-ID, Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, Upload-Concat, Upload-Defer-Length';

export function corsMiddleware(domain: string, extraOrigins: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    // Responses differ by Origin, so caches must key on it (Fetch standard, CORS protocol and HTTP caches).
    res.vary('Origin');
    const allowed = typeof origin === 'string' && isAllowedOrigin(origin, domain, extraOrigins);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'X-Request-ID, Retry-After');
    }
    const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!isPreflight) return next();
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
