import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Did the caller present the service key, as `X-Service-Key` or as a Bearer token (what Prometheus's
 * `authorization` scrape setting sends)? Compared in constant time, whatever the lengths.
 */
export function presentsServiceKey(req: Request, key: string): boolean {
  const header = req.headers['x-service-key'];
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const presented = typeof header === 'string' ? header : bearer;
  return presented !== undefined && timingSafeEqual(digest(presented), digest(key));
}
