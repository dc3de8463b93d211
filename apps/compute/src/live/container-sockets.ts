import type { ComputeLiveMessage } from '@edd/api-contracts';
import type { LiveSocket } from '@edd/live';

type StatusMessage = Extract<ComputeLiveMessage, { type: 'container_status' }>;

/** What a subscriber sends through (a LiveSocket). */
export interface MessageSink {
  send(message: ComputeLiveMessage): unknown;
}

/**
 * One open `/compute/ws`. Its changes are held until its list has gone out (a change committed while the list was
 * read would otherwise arrive first and then be undone by the older list), and a change whose version is not
 * above the version the socket already had of that container (from the list or an earlier change) is late: the
 * outbox relays of several replicas, and NATS redeliveries, can publish one container's events out of order.
 */
export class ContainerSubscriber {
  /** Changes that arrived while the list was read, the newest per container; null once the list went out. */
  private held: Map<string, StatusMessage> | null = new Map();
  private readonly versions = new Map<string, number>();

  constructor(private readonly socket: MessageSink) {}

  /** The list was sent: what it showed is known, and the held changes newer than it follow. */
  listSent(containers: ReadonlyArray<{ id: string; version: number }>): void {
    for (const c of containers) this.versions.set(c.id, c.version);
    const held = this.held;
    this.held = null;
    for (const message of held?.values() ?? []) this.deliver(message);
  }

  send(message: StatusMessage): void {
    if (this.held === null) return this.deliver(message);
    const id = message.data.container_id;
    const older = this.held.get(id);
    if (older === undefined || !isLate(message, older.data.version)) this.held.set(id, message);
  }

  private deliver(message: StatusMessage): void {
    const id = message.data.container_id;
    if (isLate(message, this.versions.get(id))) return;
    if (message.data.version !== undefined) this.versions.set(id, message.data.version);
    this.socket.send(message);
  }
}

/** Is the change not newer than `known`? Changes without a version (older publishers) are never late. */
function isLate(message: StatusMessage, known: number | undefined): boolean {
  const version = message.data.version;
  return version !== undefined && known !== undefined && version <= known;
}

/** This replica's open `/compute/ws` sockets by user: where the NATS feed delivers each user's changes. */
export class ContainerSockets {
  private readonly byUser = new Map<string, Set<ContainerSubscriber>>();

  add(userId: string, socket: LiveSocket): ContainerSubscriber {
    const subscribers = this.byUser.get(userId) ?? new Set<ContainerSubscriber>();
    const subscriber = new ContainerSubscriber(socket);
    subscribers.add(subscriber);
    this.byUser.set(userId, subscribers);
    socket.raw.once('close', () => {
      subscribers.delete(subscriber);
      if (!subscribers.size) this.byUser.delete(userId);
    });
    return subscriber;
  }

  sendTo(userId: string, message: StatusMessage): void {
    for (const subscriber of this.byUser.get(userId) ?? []) subscriber.send(message);
  }
}
