import type { Database } from '@edd/db';
import { findContainer, recordObserved, type ContainerRow, type ObservedState } from '../data/containers';
import { enqueueContainerEvent, enqueueStatusNotice, type ContainerEventType } from '../services/container-events';

const EVENT_OF: Record<ContainerRow['status'], ContainerEventType> = {
  running: 'compute.container.started',
  stopped: 'compute.container.stopped',
  pending: 'compute.container.updated',
  failed: 'compute.container.updated',
};

/**
 * Writes what the runtime was seen doing, in one transaction with its events: `started`/`stopped`/`updated` when the
 * status or address changed, and a `notify` to the owner when it became running, stopped or failed. Nothing is written
 * when the user changed the desired state meanwhile (`acted` is what the reconciler acted on): it runs again.
 * Returns false in that case.
 */
export async function recordStatus(db: Database, acted: ContainerRow, observed: ObservedState): Promise<boolean> {
  return db.tx(async (client) => {
    const current = await findContainer(client, acted.id, { forUpdate: true });
    if (!current || current.desiredState !== acted.desiredState) return false;
    const row = await recordObserved(client, acted.id, observed);
    if (!row) return false;
    const statusChanged = current.status !== row.status;
    if (statusChanged || current.address !== row.address)
      await enqueueContainerEvent(client, statusChanged ? EVENT_OF[row.status] : 'compute.container.updated', row);
    // One "failed" notice per crash loop, not one per retry.
    const repeatedFailure = row.status === 'failed' && observed.failures > 1;
    if (statusChanged && !repeatedFailure) await enqueueStatusNotice(client, row);
    return true;
  });
}
