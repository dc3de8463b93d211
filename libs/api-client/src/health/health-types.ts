/** The health service's answers (apps/health/src/views.ts and alert-view.ts; docs/api/health.md). */

export interface HealthNode {
  name: string;
  /** Kubernetes quantities: `1250m` cores, `6520332Ki`. */
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
  nodes: HealthNode[];
}

export interface PodMetrics {
  name: string;
  namespace: string;
  node: string;
  owner_id: string | null;
  container_id: string | null;
  phase: string;
  restarts: number;
  /** Nanocores and bytes. */
  cpu_usage: number;
  memory_usage: number;
  disk_usage: number;
  cpu_capacity: number;
  memory_capacity: number;
  disk_capacity: number;
}

export interface PodMetricsInfo {
  timestamp: string;
  pods: PodMetrics[];
}

export type MetricsResolution = 'raw' | '1m' | '5m' | '15m';

export interface SeriesPoint {
  /** Unix milliseconds. */
  t: number;
  cpu: number;
  mem: number;
  disk: number;
}

export interface MetricsSeries {
  start: string;
  end: string;
  resolution: MetricsResolution;
  series: Record<string, SeriesPoint[]>;
}

export interface HealthAlert {
  id: string;
  rule: string;
  severity: 'warning' | 'critical';
  state: 'firing' | 'resolved';
  title: string;
  message: string;
  subject: string;
  owner_id: string | null;
  fired_at: string;
  resolved_at: string | null;
  notified: boolean;
}

/** `WS /ws/health` and `GET /sse/health` messages. */
export type HealthLiveMessage = { type: 'cluster'; payload: ClusterInfo } | { type: 'pods'; payload: PodMetricsInfo };
