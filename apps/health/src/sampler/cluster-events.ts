import type { EventBus } from '@edd/events';
import { percentOf, type Snapshot } from '../sources/metric-source';

/** The leader's `cluster.metrics` and `cluster.pods` for one stored sample (one publisher, so nothing is doubled). */
export async function publishClusterEvents(bus: Pick<EventBus, 'publish'>, snapshot: Snapshot): Promise<void> {
  const collectedAt = snapshot.collectedAt.toISOString();
  await bus.publish('cluster.metrics', {
    collectedAt,
    nodes: snapshot.nodes.map((n) => ({
      name: n.name,
      cpuPercent: percentOf(n.cpuUsedCores, n.cpuCapacityCores),
      memoryPercent: percentOf(n.memoryUsedBytes, n.memoryCapacityBytes),
      diskPercent: percentOf(n.diskUsedBytes, n.diskCapacityBytes),
      conditions: n.conditions,
    })),
  });
  await bus.publish('cluster.pods', {
    collectedAt,
    pods: snapshot.pods.map((p) => ({
      name: p.name,
      namespace: p.namespace,
      node: p.node,
      phase: p.phase,
      restarts: p.restarts,
      oomKilled: p.oomKilled,
      ...(p.ownerId ? { ownerId: p.ownerId } : {}),
    })),
  });
}
