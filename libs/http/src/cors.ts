import type { NextFunction, Request, Response } from 'express';

/** Where the platform is served: a scheme and a public port (`https:443`; `http:18080` under `npm start`). */
export interface EntryPoint {
  scheme: 'https' | 'http';
  port: number;
}

/** A production platform: HTTPS on 443 only. */
export const HTTPS_ONLY: readonly EntryPoint[] = [{ scheme: 'https', port: 443 }];

/** Reads `https:443,http:18080` (PUBLIC_ENTRY_POINTS); throws on an entry it cannot read. */
export function parseEntryPoints(entries: readonly string[]): EntryPoint[] {
  return entries.map((entry) => {
    const match = /^(https?):(\d{1,5})$/.exec(entry.trim().toLowerCase());
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) throw new Error(`PUBLIC_ENTRY_POINTS: "${entry}" is not scheme:port (https:443)`);
    return { scheme: match[1] as EntryPoint['scheme'], port };
  });
}

/**
 * True when `origin` is the platform's own: `domain` itself or a service host one label below it
 * (`auth.<domain>`), on one of the platform's entry points (scheme and port: a production platform allows only
 * `https` on its port, so a plain-http page or another port on the same host, which a network attacker or another
 * local program can serve, is not trusted), or one of the explicitly listed extra origins.
 * Deeper names are user content (`<container-id>.compute.<domain>` serves whatever a user deploys), so
 * they get no CORS headers at all, like every other origin.
 */
export function isAllowedOrigin(
  origin: string,
  domain: string,
  extraOrigins: readonly string[] = [],
  entryPoints: readonly EntryPoint[] = HTTPS_ONLY,
): boolean {
  if (extraOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1);
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  if (!entryPoints.some((entry) => entry.scheme === scheme && entry.port === port)) return false;
  // An Origin is scheme://host[:port] only (RFC 6454 §6.1); anything more is forged.
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password || origin.endsWith('/')) return false;
  const host = url.hostname.toLowerCase();
  const base = domain.toLowerCase();
  if (host === base) return true;
  if (!host.endsWith(`.${base}`)) return false;
  const label = host.slice(0, -base.length - 1);
  return label.length > 0 && !label.includes('.');
}

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-Request-ID'];
const EXPOSED_HEADERS = ['X-Request-ID', 'Retry-After'];

/** What a service's own protocol adds to the CORS lists (storage: Range, the transfer id, tus's headers). */
export interface CorsHeaders {
  /** Request headers a platform page may send besides Content-Type, Authorization and X-Request-ID. */
  allowHeaders?: readonly string[];
  /** Response headers a platform page may read besides X-Request-ID and Retry-After. */
  exposeHeaders?: readonly string[];
}

export function corsMiddleware(
  domain: string,
  extraOrigins: readonly string[],
  headers: CorsHeaders = {},
  entryPoints: readonly EntryPoint[] = HTTPS_ONLY,
) {
  const allowHeaders = [...ALLOWED_HEADERS, ...(headers.allowHeaders ?? [])].join(', ');
  const exposeHeaders = [...EXPOSED_HEADERS, ...(headers.exposeHeaders ?? [])].join(', ');
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    // Responses differ by Origin, so caches must key on it (Fetch standard, CORS protocol and HTTP caches).
    res.vary('Origin');
    const allowed = typeof origin === 'string' && isAllowedOrigin(origin, domain, extraOrigins, entryPoints);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', exposeHeaders);
    }
    const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!isPreflight) return next();
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', allowHeaders);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
