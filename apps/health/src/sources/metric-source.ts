/**
 * What the health service asks of whatever it watches: `host` (this machine as one node, plus compute's containers)
 * or `kubernetes` (a cluster's nodes and pods). One `collect()` is one sample of everything; the sampler stores it.
 */

export type SourceName = 'host' | 'kubernetes';

export interface NodeCondition {
  /** MemoryPressure, DiskPressure, PIDPressure (Ready is not a pressure). */
  type: string;
  status: 'True' | 'False' | 'Unknown';
}

export interface NodeSample {
  name: string;
  /** CPU in use, in cores (0.5 = half a core), and what the node has. */
  cpuUsedCores: number;
  cpuCapacityCores: number;
  memoryUsedBytes: number;
  memoryCapacityBytes: number;
  diskUsedBytes: number;
  diskCapacityBytes: number;
  /** 1-minute load average, when the source knows it. */
  load1?: number;
  /** Network throughput since the previous sample, bytes per second. */
  networkRxBytesPerSec?: number;
  networkTxBytesPerSec?: number;
  conditions: NodeCondition[];
}

export interface PodSample {
  /** A pod is known by namespace AND name (compute's pods share names across namespaces). */
  namespace: string;
  name: string;
  node: string;
  /** The platform user whose container this is; undefined for the platform's own pods (admins only). */
  ownerId?: string;
  /** compute's container id, when it is one. */
  containerId?: string;
  phase: string;
  restarts: number;
  oomKilled: boolean;
  cpuUsedNanocores: number;
  memoryUsedBytes: number;
  diskUsedBytes: number;
  cpuCapacityNanocores: number;
  memoryCapacityBytes: number;
  diskCapacityBytes: number;
}

export interface Snapshot {
  collectedAt: Date;
  nodes: NodeSample[];
  pods: PodSample[];
}

export interface MetricSource {
  readonly name: SourceName;
  collect(): Promise<Snapshot>;
  close(): Promise<void>;
}

export const percentOf = (used: number, capacity: number): number => (capacity > 0 ? Math.round((used / capacity) * 10_000) / 100 : 0);
