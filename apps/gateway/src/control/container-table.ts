import { EventEmitter } from 'node:events';
import type { EventBus, ReceivedEvent } from '@edd/events';
import type { Logger } from '@edd/logger';
import type { ContainerRecord, ContainerSource } from './container-source';

export type IngressProtocol = 'http' | 'tls' | 'tcp';
export interface IngressTarget {
  host: string;
  port: number;
  protocol: IngressProtocol;
}

export const CONTAINER_EVENT_TYPES = [
  'compute.container.created',
  'compute.container.updated',
  'compute.container.started',
  'compute.container.stopped',
  'compute.container.deleted',
] as const;
type ContainerEventType = (typeof CONTAINER_EVENT_TYPES)[number];

export interface ContainerIngressTableOptions {
  logger: Logger;
  source?: ContainerSource;
  /** Full resynchronisation period; 0 = only at start. */
  resyncIntervalMs?: number;
}

type Subscriber = Pick<EventBus, 'subscribe'>;

/** Deleted containers whose version is kept against late events: far more than are deleted within an event's delay. */
const MAX_DELETED_KEPT = 10_000;

/** The gateway's own HTTPS port as the edge reports it: SNI passthrough for `<id>.compute.<domain>` looks this up. */
export const HTTPS_EXTERNAL_PORT = 443;

interface ContainerRoutes {
  byPort: ReadonlyMap<number, IngressTarget>;
  /** External ports of the container's own rules (what the edge must listen on). */
  ports: readonly number[];
}

/**
 * container id -> external port -> upstream, kept from `compute.container.*` events and healed by a periodic
 * full resynchronisation (a missed event is corrected at the next round). Only running containers route.
 * Container ids are compared case-insensitively because they arrive inside a (case-insensitive) host name.
 * Port 443 without an explicit rule falls back to the container's TLS rule targeting 443 (else its first TLS
 * rule), so https://<id>.compute.<domain>/ passes through to the container's own certificate.
 */
export class ContainerIngressTable extends EventEmitter<{ ports: [ReadonlySet<number>] }> {
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly routes = new Map<string, ContainerRoutes>();
  private portSet: ReadonlySet<number> = new Set();
  private subscription: { stop(): Promise<void> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  // Ids changed by events while a resync was fetching: the snapshot is older than them, so they are kept.
  private touchedDuringResync: Set<string> | undefined;
  // The version of each container an event deleted (the newest MAX_DELETED_KEPT): a late event cannot bring one back.
  private readonly deletedVersions = new Map<string, number>();

  constructor(private readonly options: ContainerIngressTableOptions) {
    super();
  }

  lookup(containerId: string, externalPort: number): IngressTarget | undefined {
    return this.routes.get(containerId.toLowerCase())?.byPort.get(externalPort);
  }

  /** External ports used by at least one running container's ingress rule. */
  ports(): ReadonlySet<number> {
    return this.portSet;
  }

  get(containerId: string): ContainerRecord | undefined {
    return this.containers.get(containerId.toLowerCase());
  }

  get size(): number {
    return this.containers.size;
  }

  /** Subscribe first, then resync, so no event falls between the snapshot and the subscription. */
  async start(bus?: Subscriber): Promise<void> {
    if (bus) {
      this.subscription = await bus.subscribe({
        types: CONTAINER_EVENT_TYPES,
        handler: (event) => this.applyEvent(event),
      });
    }
    await this.resync();
    const every = this.options.resyncIntervalMs ?? 60_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.resync(), every);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /**
   * Applies one event, unless it is older than what the table holds of that container: events carry the container's
   * version, which grows in commit order, and relays on several compute replicas or a redelivery can deliver them
   * out of order. Events without a version (older publishers) always apply.
   */
  applyEvent(event: ReceivedEvent<ContainerEventType>): void {
    const id = event.data.containerId.toLowerCase();
    const version = event.data.version;
    const known = this.containers.get(id)?.version ?? this.deletedVersions.get(id);
    if (version !== undefined && known !== undefined && version < known) return;
    this.touchedDuringResync?.add(id);
    if (event.type === 'compute.container.deleted' || event.data.status === 'deleted') {
      this.remove(id);
      if (version !== undefined) this.rememberDeleted(id, version);
    } else this.put(event.data);
    this.refreshPorts();
  }

  private rememberDeleted(id: string, version: number): void {
    this.deletedVersions.delete(id);
    this.deletedVersions.set(id, version);
    if (this.deletedVersions.size > MAX_DELETED_KEPT) {
      const oldest = this.deletedVersions.keys().next().value;
      if (oldest !== undefined) this.deletedVersions.delete(oldest);
    }
  }

  /** Replaces the table with the source's list; returns false when the source had no answer. */
  async resync(): Promise<boolean> {
    const source = this.options.source;
    if (!source || this.touchedDuringResync) return false;
    this.touchedDuringResync = new Set();
    try {
      const list = await source.list();
      if (!list) return false;
      const touched = this.touchedDuringResync;
      const listed = new Set(list.map((c) => c.containerId.toLowerCase()));
      for (const id of [...this.containers.keys()]) if (!listed.has(id) && !touched.has(id)) this.remove(id);
      for (const record of list) if (!touched.has(record.containerId.toLowerCase())) this.put(record);
      this.refreshPorts();
      return true;
    } catch (error) {
      this.options.logger.warn('container resync failed', { error });
      return false;
    } finally {
      this.touchedDuringResync = undefined;
    }
  }

  private put(record: ContainerRecord): void {
    const id = record.containerId.toLowerCase();
    if (record.status === 'deleted') return this.remove(id);
    this.containers.set(id, record);
    if (record.status !== 'running' || !record.upstreamHost) {
      this.routes.delete(id);
      return;
    }
    const byPort = new Map<number, IngressTarget>();
    const target = (port: number, protocol: IngressProtocol) => Object.freeze({ host: record.upstreamHost, port, protocol });
    for (const rule of record.ingress) byPort.set(rule.externalPort, target(rule.targetPort, rule.protocol));
    if (!byPort.has(HTTPS_EXTERNAL_PORT)) {
      const tls = record.ingress.filter((rule) => rule.protocol === 'tls');
      const passthrough = tls.find((rule) => rule.targetPort === 443) ?? tls[0];
      if (passthrough) byPort.set(HTTPS_EXTERNAL_PORT, target(passthrough.targetPort, 'tls'));
    }
    this.routes.set(id, { byPort, ports: record.ingress.map((rule) => rule.externalPort) });
  }

  private remove(id: string): void {
    this.containers.delete(id);
    this.routes.delete(id);
  }

  private refreshPorts(): void {
    const next = new Set<number>();
    for (const routes of this.routes.values()) for (const port of routes.ports) next.add(port);
    if (next.size === this.portSet.size && [...next].every((p) => this.portSet.has(p))) return;
    this.portSet = next;
    this.emit('ports', next);
  }
}
