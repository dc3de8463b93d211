/**
 * The parts of the Kubernetes API the source reads, as the API's JSON (only the fields used). Kept apart from the
 * client so the mapping (snapshot-of.ts) is a pure function of the API's answers.
 */

/** The API paths the source reads, cluster-wide (one call each, not one per namespace). */
export const CLUSTER_PATHS = {
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  nodeMetrics: '/apis/metrics.k8s.io/v1beta1/nodes',
  podMetrics: '/apis/metrics.k8s.io/v1beta1/pods',
} as const;

/** One node's kubelet summary, through the API server's node proxy. */
export const statsSummaryPath = (node: string): string => `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`;

export interface KubeNode {
  metadata?: { name?: string };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: Array<{ type?: string; status?: string }>;
  };
}

export interface KubeContainerStatus {
  name?: string;
  restartCount?: number;
  state?: { terminated?: { reason?: string } };
  lastState?: { terminated?: { reason?: string } };
}

export interface KubePod {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    nodeName?: string;
    containers?: Array<{ name?: string; resources?: { limits?: Record<string, string>; requests?: Record<string, string> } }>;
  };
  status?: { phase?: string; containerStatuses?: KubeContainerStatus[] };
}

/** metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics. */
export interface NodeMetricsItem {
  metadata?: { name?: string };
  usage?: { cpu?: string; memory?: string };
}

export interface PodMetricsItem {
  metadata?: { name?: string; namespace?: string };
  containers?: Array<{ name?: string; usage?: { cpu?: string; memory?: string } }>;
}

/** The kubelet's `/stats/summary` (the fields read). */
export interface StatsSummary {
  node?: {
    nodeName?: string;
    fs?: { capacityBytes?: number; usedBytes?: number };
    network?: { rxBytes?: number; txBytes?: number; interfaces?: Array<{ name?: string; rxBytes?: number; txBytes?: number }> };
  };
  pods?: Array<{ podRef?: { name?: string; namespace?: string }; 'ephemeral-storage'?: { usedBytes?: number } }>;
}

export interface ClusterReadings {
  nodes: KubeNode[];
  pods: KubePod[];
  nodeMetrics: NodeMetricsItem[];
  podMetrics: PodMetricsItem[];
  /** Per node name; a node whose kubelet did not answer is absent. */
  summaries: Record<string, StatsSummary>;
}
