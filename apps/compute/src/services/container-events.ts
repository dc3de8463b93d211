import { randomUUID } from 'node:crypto';
import type { EventData } from '@edd/events';
import { enqueueEvent, type Queryable } from '@edd/outbox';
import { bumpContainerVersion, type ContainerRow } from '../data/containers';
import { listIngressRules } from '../data/ingress';

export type ContainerPayload = EventData<'compute.container.updated'>;
export type ContainerEventType =
  | 'compute.container.created'
  | 'compute.container.updated'
  | 'compute.container.started'
  | 'compute.container.stopped'
  | 'compute.container.deleted';

/** The catalogue's container payload (what the gateway routes by): a deleted container says so whatever it last did. */
export async function containerPayload(db: Queryable, row: ContainerRow): Promise<ContainerPayload> {
  const rules = await listIngressRules(db, row.id);
  return {
    containerId: row.id,
    ownerId: row.ownerId,
    name: row.name,
    status: row.desiredState === 'deleted' ? 'deleted' : row.status,
    upstreamHost: row.address ?? '',
    ingress: rules.map((r) => ({ externalPort: r.externalPort, targetPort: r.targetPort, protocol: r.protocol })),
    sshEnabled: row.sshEnabled,
    version: row.version,
  };
}

/**
 * Writes the event in the caller's transaction (published by the outbox relay once it commits), under the
 * container's next version: relays and consumers may deliver events late or out of order, the version tells.
 */
export async function enqueueContainerEvent(db: Queryable, type: ContainerEventType, row: ContainerRow): Promise<void> {
  const version = await bumpContainerVersion(db, row.id);
  await enqueueEvent(db, type, await containerPayload(db, { ...row, version }));
}

const NOTICES: Partial<Record<ContainerRow['status'], { title: string; message: (name: string) => string }>> = {
  running: { title: 'Container ready', message: (name) => `${name} is running.` },
  stopped: { title: 'Container stopped', message: (name) => `${name} was stopped.` },
  failed: { title: 'Container failed', message: (name) => `${name} failed; it is restarted automatically.` },
};

/** A `notify` to the owner when a container becomes running, stops or fails. */
export async function enqueueStatusNotice(db: Queryable, row: ContainerRow): Promise<void> {
  const notice = NOTICES[row.status];
  if (!notice) return;
  await enqueueEvent(db, 'notify', {
    notificationId: randomUUID(),
    userId: row.ownerId,
    title: notice.title,
    message: row.status === 'failed' && row.statusMessage ? `${notice.message(row.name)} ${row.statusMessage}` : notice.message(row.name),
    category: 'compute',
    link: `/compute/containers/${row.id}`,
    source: 'compute',
  });
}
