import type { TransferDirection } from '@edd/api-contracts';
import { HttpError } from '@edd/http';
import type { Request } from 'express';
import type { StorageDeps } from '../context';
import { readTransferId } from '../http/transfer-id';
import { claimTransfer } from './progress-channel';
import { createProgressReporter, silentReporter, type ProgressReporter } from './progress-reporter';

/**
 * The progress reporter of a request that named a transfer (`?id=` / `X-Transfer-Id`): bound to the caller, so an
 * id another user already holds is a 409. Anonymous requests (a public download) report nothing: nobody could
 * subscribe to them.
 */
export async function transferProgress(
  deps: StorageDeps,
  req: Request,
  direction: TransferDirection,
): Promise<((total: number) => ProgressReporter) | undefined> {
  const id = readTransferId(req.query['id'], req.headers['x-transfer-id']);
  const owner = req.principal?.userId;
  if (id === undefined || owner === undefined) return undefined;
  if (!(await claimTransfer(deps.redis, deps.redisPrefix, id, owner)))
    throw new HttpError('conflict', 'this transfer id belongs to another user’s transfer; make a new one');
  return (total) => createProgressReporter({ redis: deps.redis, prefix: deps.redisPrefix, id, direction, total, logger: req.log });
}

export { silentReporter };
