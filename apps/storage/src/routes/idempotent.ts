import { idempotency, postgresIdempotencyStore } from '@edd/http';
import type { RequestHandler } from 'express';
import type { StorageDeps } from '../context';

/**
 * `Idempotency-Key` on storage's creating POSTs (namespaces, share links), per authenticated user. Kept in storage's
 * own PostgreSQL (`idempotency_keys`), so each create keeps its answer in the transaction that creates
 * (`answerWithinTransaction`): a crash between the commit and the answer still leaves a retry that answer.
 */
export function idempotentCreate(deps: Pick<StorageDeps, 'db'>): RequestHandler {
  return idempotency({ store: postgresIdempotencyStore(deps.db), scopeOf: (req) => req.principal?.userId });
}
