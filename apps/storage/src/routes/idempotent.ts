import { idempotency, redisIdempotencyStore } from '@edd/http';
import type { RequestHandler } from 'express';
import type { StorageDeps } from '../context';

/** `Idempotency-Key` on storage's creating POSTs (namespaces, share links), per authenticated user. */
export function idempotentCreate(deps: Pick<StorageDeps, 'redis' | 'redisPrefix'>): RequestHandler {
  return idempotency({ store: redisIdempotencyStore(deps.redis, deps.redisPrefix), scopeOf: (req) => req.principal?.userId });
}
