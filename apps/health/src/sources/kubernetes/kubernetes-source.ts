import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@edd/logger';
import type { MetricSource, Snapshot } from '../metric-source';
import { CLUSTER_PATHS, statsSummaryPath } from './kube-api';
import type { ClusterReadings, KubeNode, KubePod, NodeMetricsItem, PodMetricsItem, StatsSummary } from './kube-api';
import { kubeGetJson } from './kube-get';
import { snapshotOf } from './snapshot-of';

export interface KubernetesSourceOptions {
  /** Default: KUBECONFIG, else the pod's service account (client-node's loadFromDefault). */
  kubeConfig?: KubeConfig;
  logger?: Logger;
  /** How many kubelets are asked for their stats at once (default 8). */
  summaryConcurrency?: number;
}

/**
 * A cluster through its API: the Node list, metrics.k8s.io for CPU and memory (one call for every pod, not one per
 * namespace), and each node's kubelet `/stats/summary` (through the API server's node proxy) for disk. Missing
 * metrics-server or kubelet answers leave zeros, logged, rather than failing the sample.
 */
export function createKubernetesSource(options: KubernetesSourceOptions = {}): MetricSource {
  const loaded = (async () => {
    if (options.kubeConfig) return options.kubeConfig;
    const k8s = await import('@kubernetes/client-node');
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromDefault();
    return kubeConfig;
  })();
  // Loading failures surface on collect(), not as an unhandled rejection.
  loaded.catch(() => undefined);

  const optional = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      options.logger?.warn(`kubernetes source: ${what} unavailable`, { error: String(error) });
      return fallback;
    }
  };

  async function read(): Promise<ClusterReadings> {
    const kubeConfig = await loaded;
    const items = async <T>(path: string): Promise<T[]> => ((await kubeGetJson(kubeConfig, path)) as { items?: T[] }).items ?? [];
    const [nodes, pods, nodeMetrics, podMetrics] = await Promise.all([
      items<KubeNode>(CLUSTER_PATHS.nodes),
      items<KubePod>(CLUSTER_PATHS.pods),
      optional('node metrics', () => items<NodeMetricsItem>(CLUSTER_PATHS.nodeMetrics), []),
      optional('pod metrics', () => items<PodMetricsItem>(CLUSTER_PATHS.podMetrics), []),
    ]);
    const summaries: Record<string, StatsSummary> = {};
    const names = nodes.map((n) => n.metadata?.name).filter((n): n is string => Boolean(n));
    const concurrency = options.summaryConcurrency ?? 8;
    for (let i = 0; i < names.length; i += concurrency) {
      await Promise.all(
        names.slice(i, i + concurrency).map(async (name) => {
          const path = statsSummaryPath(name);
          const summary = await optional(
            `stats summary of ${name}`,
            async () => (await kubeGetJson(kubeConfig, path)) as StatsSummary,
            undefined,
          );
          if (summary) summaries[name] = summary;
        }),
      );
    }
    return { nodes, pods, nodeMetrics, podMetrics, summaries };
  }

  // Each node's network byte counters at the previous sample, for rates (bounded by the node list: replaced each time).
  let previousNetwork = new Map<string, NetworkReading>();

  return {
    name: 'kubernetes',
    async collect(): Promise<Snapshot> {
      const readings = await read();
      const snapshot = snapshotOf(readings, new Date());
      const current = networkReadings(readings, snapshot.collectedAt.getTime());
      for (const node of snapshot.nodes) {
        const now = current.get(node.name);
        const before = previousNetwork.get(node.name);
        if (!now || !before || now.at <= before.at) continue;
        const seconds = (now.at - before.at) / 1000;
        node.networkRxBytesPerSec = Math.max(0, (now.rx - before.rx) / seconds);
        node.networkTxBytesPerSec = Math.max(0, (now.tx - before.tx) / seconds);
      }
      previousNetwork = current;
      return snapshot;
    },
    close: () => Promise.resolve(),
  };
}

interface NetworkReading {
  rx: number;
  tx: number;
  at: number;
}

/** The kubelet's cumulative network counters per node (all interfaces when listed, else the default one). */
function networkReadings(readings: ClusterReadings, at: number): Map<string, NetworkReading> {
  const out = new Map<string, NetworkReading>();
  for (const [name, summary] of Object.entries(readings.summaries)) {
    const network = summary.node?.network;
    if (!network) continue;
    const interfaces = network.interfaces?.length ? network.interfaces : [network];
    out.set(name, {
      rx: interfaces.reduce((sum, i) => sum + (i.rxBytes ?? 0), 0),
      tx: interfaces.reduce((sum, i) => sum + (i.txBytes ?? 0), 0),
      at,
    });
  }
  return out;
}
