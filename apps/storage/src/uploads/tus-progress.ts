import { HttpError } from '@edd/http';
import type { Upload } from '@tus/server';
import type { StorageDeps } from '../context';
import { isTransferId } from '../http/transfer-id';
import { claimTransfer, publishProgress } from '../progress/progress-channel';
import { OWNER_KEY } from './tus-part-store';

/** The metadata key holding the upload's transfer id (the server rewrites it, checked, at creation). */
export const TRANSFER_KEY = 'transfer_id';

const RULE = 'must be 8 to 64 characters of A-Z, a-z, 0-9, "_" and "-"';

/**
 * The transfer id a tus creation names, from `X-Transfer-Id` or the metadata's `transfer_id` (both: they must
 * agree), or undefined. Malformed is a 400 naming the field, as for a raw upload.
 */
export function creationTransferId(header: string | null, metadata: Upload['metadata']): string | undefined {
  const fromMetadata = metadata?.[TRANSFER_KEY] ?? undefined;
  const fromHeader = header ?? undefined;
  for (const [field, value] of [
    [`metadata "${TRANSFER_KEY}"`, fromMetadata],
    ['X-Transfer-Id', fromHeader],
  ] as const) {
    if (value !== undefined && !isTransferId(value)) throw invalid(field, `${field} ${RULE}`);
  }
  if (fromMetadata !== undefined && fromHeader !== undefined && fromMetadata !== fromHeader)
    throw invalid('X-Transfer-Id', `X-Transfer-Id and the metadata's "${TRANSFER_KEY}" name different transfers`);
  return fromMetadata ?? fromHeader;
}

/** Binds the id to the uploader at creation: an id another user holds is a 409, as for a raw upload. */
export async function claimUploadTransfer(deps: StorageDeps, id: string, userId: string): Promise<void> {
  if (!(await claimTransfer(deps.redis, deps.redisPrefix, id, userId)))
    throw new HttpError('conflict', 'this transfer id belongs to another user’s transfer; make a new one');
}

/**
 * Publishes a tus upload's progress on the same Redis channel as a raw upload's (`bytes` = the upload's offset, so
 * a resumed upload continues where it was). Uploads without a transfer id report nothing; publishing never fails
 * the upload. Each request renews the id's binding to its owner (an upload may outlive the binding's TTL).
 */
export function createTusProgress(deps: StorageDeps) {
  return {
    async report(upload: Pick<Upload, 'metadata' | 'size' | 'offset'>, end?: { error?: string }): Promise<void> {
      const id = upload.metadata?.[TRANSFER_KEY] ?? undefined;
      const owner = upload.metadata?.[OWNER_KEY] ?? undefined;
      if (id === undefined || owner === undefined) return;
      try {
        if (!(await claimTransfer(deps.redis, deps.redisPrefix, id, owner))) return;
        const total = upload.size ?? upload.offset;
        const bytes = end && !end.error ? total : upload.offset;
        await publishProgress(deps.redis, deps.redisPrefix, {
          id,
          direction: 'upload',
          bytes,
          total: Math.max(total, bytes),
          done: end !== undefined,
          ...(end?.error !== undefined ? { error: end.error } : {}),
        });
      } catch (error) {
        deps.logger.warn('progress not published', { error: String(error), transfer: id });
      }
    },
  };
}

function invalid(field: string, message: string): HttpError {
  return new HttpError('invalid_request', message, { details: [{ path: field, message }] });
}
