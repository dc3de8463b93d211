import { canAccess } from '@edd/auth-client';
import type { EventBus, Stoppable } from '@edd/events';
import { formatScope } from '@edd/scopes';
import type { ComputeDeps } from '../context';
import { listContainersOf } from '../data/containers';
import { describeContainers } from '../services/container-view';
import type { ContainerSockets } from './container-sockets';

export const CONTAINER_EVENT_TYPES = [
  'compute.container.created',
  'compute.container.updated',
  'compute.container.started',
  'compute.container.stopped',
  'compute.container.deleted',
] as const;

/** `WS /compute/ws`: the caller's containers on connect, then each status change (from the NATS feed below). */
export function mountContainerSocket(deps: ComputeDeps, sockets: ContainerSockets): void {
  deps.live.websocket({
    path: '/compute/ws',
    auth: deps.liveAuth,
    authorize: (principal) => canAccess(principal, formatScope('compute', principal.userId), 'read'),
    onConnection: async (socket, principal) => {
      // Registered first: a change committed while the list is read is held, and follows the list if newer.
      const subscriber = sockets.add(principal.userId, socket);
      const rows = await listContainersOf(deps.db, principal.userId);
      const containers = await describeContainers(deps.db, deps.config, rows);
      socket.send({ type: 'containers', data: containers });
      subscriber.listSent(containers);
    },
  });
}

/**
 * Every replica follows `compute.container.*` with its own ephemeral (ordered, non-durable) consumer, so a change
 * made by any replica reaches the sockets open on this one; nothing is kept in a shared per-process hub.
 */
export function startContainerFeed(bus: EventBus, sockets: ContainerSockets): Promise<Stoppable> {
  return bus.subscribe({
    types: CONTAINER_EVENT_TYPES,
    handler: (event) => {
      const { containerId, ownerId, status, sshEnabled, version } = event.data;
      const data = { container_id: containerId, status, ssh_enabled: sshEnabled, ...(version === undefined ? {} : { version }) };
      sockets.sendTo(ownerId, { type: 'container_status', data });
    },
  });
}
