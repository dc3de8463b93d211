import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Lines the gateway adds to every request it proxies (and removes from what clients send). */
const GATEWAY_LINES = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'forwarded'] as const;

/**
 * Guards service-to-service routes, which all live under `/internal/` (the public gateway refuses that prefix).
 * Inside the service two more checks hold, so no single one is relied on:
 *  - the caller presents `X-Service-Key` equal to SERVICE_API_KEY (constant time), 401 `invalid_service_key`;
 *  - nothing the gateway adds to a proxied request is there (403 `internal_only`): internal callers talk to the
 *    service directly. Services refuse heads longer than they read (431, see header-limit.ts), so padding can no
 *    longer push the gateway's lines out of sight.
 */
export function requireServiceKey(key: string): RequestHandler {
  const expected = digest(key);
  return (req, _res, next) => {
    if (GATEWAY_LINES.some((name) => req.headers[name] !== undefined)) throw new HttpError('internal_only');
    const presented = req.headers['x-service-key'];
    if (typeof presented !== 'string' || !timingSafeEqual(digest(presented), expected)) throw new HttpError('invalid_service_key');
    next();
  };
}
