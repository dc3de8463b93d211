import type { Principal } from '@edd/auth-client';
import type { EventBus, Stoppable } from '@edd/events';
import { ownerFilter, seesCluster } from '../access';
import type { Snapshot } from '../sources/metric-source';
import { clusterInfo, podMetrics } from '../views';

/** What a live connection asked for: the §3 streams. */
export type FeedKind = 'cluster-info' | 'pod-metrics' | 'health';

export interface FeedSubscriber {
  kind: FeedKind;
  principal: Principal;
  /** One message (an object, sent as JSON); false when the connection is gone. */
  send(message: unknown): boolean;
}

/** The messages one subscriber gets for one snapshot (filtered for who it is). */
export function messagesFor(kind: FeedKind, principal: Principal, snapshot: Snapshot): unknown[] {
  const owner = ownerFilter(principal);
  switch (kind) {
    case 'cluster-info':
      return [clusterInfo(snapshot)];
    case 'pod-metrics':
      return [podMetrics(snapshot, owner)];
    case 'health':
      return [
        ...(seesCluster(principal) ? [{ type: 'cluster', payload: clusterInfo(snapshot) }] : []),
        { type: 'pods', payload: podMetrics(snapshot, owner) },
      ];
  }
}

/**
 * This replica's live connections. The leader stores each sample and then publishes `cluster.metrics`; every replica
 * follows that subject (an ordered, non-durable subscription) and pushes the stored snapshot to its own connections,
 * so whichever replica a browser reached, it sees each sample once.
 */
export class HealthFeed {
  private readonly subscribers = new Set<FeedSubscriber>();

  constructor(private readonly latest: () => Promise<Snapshot | undefined>) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber and sends it the latest sample at once. Returns the removal. */
  async add(subscriber: FeedSubscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    const snapshot = await this.latest();
    if (snapshot) this.deliver(subscriber, snapshot);
    return () => this.subscribers.delete(subscriber);
  }

  async broadcast(): Promise<void> {
    if (!this.subscribers.size) return;
    const snapshot = await this.latest();
    if (!snapshot) return;
    for (const subscriber of this.subscribers) this.deliver(subscriber, snapshot);
  }

  follow(bus: EventBus): Promise<Stoppable> {
    return bus.subscribe({ types: ['cluster.metrics'], handler: () => this.broadcast() });
  }

  private deliver(subscriber: FeedSubscriber, snapshot: Snapshot): void {
    for (const message of messagesFor(subscriber.kind, subscriber.principal, snapshot)) {
      if (!subscriber.send(message)) {
        this.subscribers.delete(subscriber);
        return;
      }
    }
  }
}
