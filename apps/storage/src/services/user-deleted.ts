import type { Stoppable } from '@edd/events';
import { enqueueEvent, handleOnce } from '@edd/outbox';
import type { StorageDeps } from '../context';
import { deleteSharesOf } from '../data/shares';
import { listDeleting, markUserNamespacesDeleting } from '../data/namespaces';
import { purgeNamespace } from './purge';

export const USER_DELETED_CONSUMER = 'storage_user_deleted';

/**
 * `auth.user.deleted`: in one transaction (recorded once by handleOnce) the user's namespaces are flagged deleting,
 * their shares removed and the events enqueued; then the bytes and rows are purged. A crash between the two leaves
 * flagged namespaces, which the start-up purge (and the next deletion) finishes.
 */
export async function consumeUserDeletions(
  deps: StorageDeps & { bus: NonNullable<StorageDeps['bus']> },
  durable = USER_DELETED_CONSUMER,
): Promise<Stoppable> {
  return deps.bus.consume({
    durable,
    types: ['auth.user.deleted'],
    handler: async (event) => {
      const { userId } = event.data;
      let flagged = 0;
      await handleOnce(deps.db, durable, event, async (client) => {
        const namespaces = await markUserNamespacesDeleting(client, userId);
        await deleteSharesOf(client, userId);
        for (const ns of namespaces) {
          flagged += 1;
          await enqueueEvent(client, 'storage.namespace.deleted', { namespace: ns.name, ownerId: userId, visibility: ns.visibility });
        }
      });
      // Also on a redelivery (handleOnce skipped): a purge that failed last time is retried, and a failure here
      // throws, so the event comes back.
      for (const id of await listDeleting(deps.db, userId)) await purgeNamespace(deps.db, deps.blobs, id);
      if (flagged) deps.logger.info('deleted user’s storage', { userId, namespaces: flagged });
    },
  });
}
