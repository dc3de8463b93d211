import type { EventBus, Stoppable } from '@edd/events';
import { enqueueEvent, handleOnce } from '@edd/outbox';
import type { ComputeDeps } from '../context';
import { markUserContainersDeleted } from '../data/containers';
import { deleteSshKeysOf } from '../data/ssh-keys';
import { enqueueContainerEvent } from './container-events';

export const USER_DELETED_CONSUMER = 'compute_user_deleted';

/**
 * `auth.user.deleted`: in one transaction (recorded once by handleOnce) the user's containers are marked deleted
 * (the reconciler removes them and their volumes from the runtime) and their keys removed, with the events.
 * A redelivery finds the record and does nothing; a row already marked is not marked twice.
 */
export async function consumeUserDeletions(
  deps: Pick<ComputeDeps, 'db' | 'logger' | 'kick'> & { bus: EventBus },
  durable = USER_DELETED_CONSUMER,
): Promise<Stoppable> {
  return deps.bus.consume({
    durable,
    types: ['auth.user.deleted'],
    handler: async (event) => {
      const { userId } = event.data;
      const marked: string[] = [];
      await handleOnce(deps.db, durable, event, async (client) => {
        for (const row of await markUserContainersDeleted(client, userId)) {
          marked.push(row.id);
          await enqueueContainerEvent(client, 'compute.container.deleted', row);
        }
        for (const key of await deleteSshKeysOf(client, userId)) {
          await enqueueEvent(client, 'compute.sshkey.removed', { userId, keyId: key.id, fingerprint: key.fingerprint });
        }
      });
      for (const id of marked) deps.kick(id);
      if (marked.length) deps.logger.info('deleted user’s containers', { userId, containers: marked.length });
    },
  });
}
