import type { ClusterInfo, HealthNode, PodMetrics, PodMetricsInfo } from '@edd/api-contracts';
import { percentOf, type NodeSample, type PodSample, type Snapshot } from './sources/metric-source';

// The wire shapes of §3 are @edd/api-contracts' health schemas; these map samples onto them.

const millicores = (cores: number) => `${Math.round(cores * 1000)}m`;
const kibibytes = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

export function nodeView(n: NodeSample): HealthNode {
  return {
    name: n.name,
    cpu_usage: millicores(n.cpuUsedCores),
    memory_usage: kibibytes(n.memoryUsedBytes),
    cpu_capacity: millicores(n.cpuCapacityCores),
    memory_capacity: kibibytes(n.memoryCapacityBytes),
    cpu_percent: percentOf(n.cpuUsedCores, n.cpuCapacityCores),
    memory_percent: percentOf(n.memoryUsedBytes, n.memoryCapacityBytes),
    disk_capacity: n.diskCapacityBytes,
    disk_usage: n.diskUsedBytes,
    disk_percent: percentOf(n.diskUsedBytes, n.diskCapacityBytes),
    conditions: n.conditions,
    ...(n.load1 !== undefined ? { load_1: n.load1 } : {}),
    ...(n.networkRxBytesPerSec !== undefined ? { network_rx_bytes_per_sec: Math.round(n.networkRxBytesPerSec) } : {}),
    ...(n.networkTxBytesPerSec !== undefined ? { network_tx_bytes_per_sec: Math.round(n.networkTxBytesPerSec) } : {}),
  };
}

export const clusterInfo = (s: Snapshot): ClusterInfo => ({ timestamp: s.collectedAt.toISOString(), nodes: s.nodes.map(nodeView) });

export function podView(p: PodSample): PodMetrics {
  return {
    name: p.name,
    namespace: p.namespace,
    node: p.node,
    owner_id: p.ownerId ?? null,
    container_id: p.containerId ?? null,
    phase: p.phase,
    restarts: p.restarts,
    cpu_usage: p.cpuUsedNanocores,
    memory_usage: p.memoryUsedBytes,
    disk_usage: p.diskUsedBytes,
    cpu_capacity: p.cpuCapacityNanocores,
    memory_capacity: p.memoryCapacityBytes,
    disk_capacity: p.diskCapacityBytes,
  };
}

/** The pods a viewer may see: `ownerId` undefined = all of them (an admin). */
export const podMetrics = (s: Snapshot, ownerId: string | undefined): PodMetricsInfo => ({
  timestamp: s.collectedAt.toISOString(),
  pods: s.pods.filter((p) => ownerId === undefined || p.ownerId === ownerId).map(podView),
});

export const emptySnapshot = (): Snapshot => ({ collectedAt: new Date(0), nodes: [], pods: [] });
