import type { Database } from '@edd/db';
import type { Logger } from '@edd/logger';
import type { BlobStore } from '../blobs';
import { deleteNamespaceRow, listDeleting } from '../data/namespaces';

/**
 * Removes a namespace flagged `deleting`: its bytes first, then its row (files and shares follow by cascade).
 * Idempotent: after a crash the flag is still there and the next purge finishes the job.
 */
export async function purgeNamespace(db: Database, blobs: BlobStore, namespaceId: string): Promise<void> {
  await blobs.deletePrefix(`${namespaceId}/`);
  await deleteNamespaceRow(db, namespaceId);
}

/** Finishes every deletion a previous process started (called at start-up and after a user's deletion). */
export async function purgeDeletingNamespaces(db: Database, blobs: BlobStore, logger: Logger): Promise<number> {
  let purged = 0;
  for (const id of await listDeleting(db)) {
    try {
      await purgeNamespace(db, blobs, id);
      purged += 1;
    } catch (error) {
      logger.warn('namespace purge failed; retried at the next purge', { namespaceId: id, error: String(error) });
    }
  }
  return purged;
}
