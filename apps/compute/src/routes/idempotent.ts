import { idempotency, postgresIdempotencyStore } from '@edd/http';
import type { RequestHandler } from 'express';
import type { ComputeDeps } from '../context';

/**
 * `Idempotency-Key` on compute's creating POSTs (containers, SSH keys, ingress rules), per authenticated user. Kept in compute's
 * own PostgreSQL (`idempotency_keys`): compute has no Redis, and the keys then live and fail with what they guard.
 */
export function idempotentCreate(deps: Pick<ComputeDeps, 'db'>): RequestHandler {
  return idempotency({ store: postgresIdempotencyStore(deps.db), scopeOf: (req) => req.principal?.userId });
}
