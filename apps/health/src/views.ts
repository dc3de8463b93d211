import { percentOf, type NodeSample, type PodSample, type Snapshot } from './sources/metric-source';

/** The wire shapes of §3 (snake_case): `cpu_*`/`memory_*` of nodes as Kubernetes quantities, everything else numbers. */

export interface NodeView {
  name: string;
  cpu_usage: string;
  memory_usage: string;
  cpu_capacity: string;
  memory_capacity: string;
  cpu_percent: number;
  memory_percent: number;
  disk_capacity: number;
  disk_usage: number;
  disk_percent: number;
  conditions: Array<{ type: string; status: string }>;
  load_1?: number;
  network_rx_bytes_per_sec?: number;
  network_tx_bytes_per_sec?: number;
}

export interface ClusterInfo {
  timestamp: string;
  nodes: NodeView[];
}

export interface PodView {
  name: string;
  namespace: string;
  node: string;
  owner_id: string | null;
  container_id: string | null;
  phase: string;
  restarts: number;
  cpu_usage: number;
  memory_usage: number;
  disk_usage: number;
  cpu_capacity: number;
  memory_capacity: number;
  disk_capacity: number;
}

export interface PodMetricsInfo {
  timestamp: string;
  pods: PodView[];
}

const millicores = (cores: number) => `${Math.round(cores * 1000)}m`;
const kibibytes = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

export function nodeView(n: NodeSample): NodeView {
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

export function podView(p: PodSample): PodView {
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
