import type { RequestHead } from './request-head';
import { CACHE_MAX_ENTRY_BYTES } from './response-cache';
import type { ResponseHead } from './response-head';

/**
 * Methods that change what is at a path: they evict its cached copy (before and after they run). Compared, not
 * looked up in a Set: the usual methods are the parser's constant strings, and a Set would hash each request's.
 */
export function isMutation(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}

/** Health probes must show the live state, never a copy up to 30 s old. */
function isProbe(path: string): boolean {
  return path === '/healthz' || path === '/readyz';
}

/**
 * The cache key (host + path) when this request may be answered from and stored in the cache, else ''.
 * Never: other methods, query strings, credentials (Authorization, X-Service-Key, `token` cookie),
 * cross-origin requests (their responses carry per-origin CORS headers), upgrades, health probes.
 */
export function cacheKeyFor(req: RequestHead): string {
  if (req.method !== 'GET' || req.query || req.credentialed || req.hasOrigin || req.upgrade || isProbe(req.path)) return '';
  return req.host + req.path;
}

/** A 200 with Content-Length ≤ 1 MB, no Set-Cookie, no no-store/private/no-cache, no Vary we cannot honour, no coding. */
export function isStorable(resp: ResponseHead, lengthFramed: boolean): boolean {
  return (
    resp.status === 200 &&
    lengthFramed &&
    resp.contentLength <= CACHE_MAX_ENTRY_BYTES &&
    !resp.setCookie &&
    !resp.cacheForbidden &&
    !resp.varyUnsupported &&
    !resp.contentEncoded
  );
}
