import type { NodeSample, PodSample, Snapshot } from '../metric-source';
import type { ClusterReadings, KubePod } from './kube-api';
import { bytes, cores } from './quantity';

/** compute's labels (apps/compute/src/runtime/kubernetes/names.ts): who owns a pod, which container it is. */
export const OWNER_ID_LABEL = 'edd.cloud/owner-id';
export const CONTAINER_ID_LABEL = 'edd.cloud/container-id';

const PRESSURES = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure']);
const podKey = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * One snapshot from the API's answers. Pods are matched to their metrics and kubelet stats by namespace AND name
 * (every compute pod may share a name); the node comes from the pod's own spec.nodeName.
 */
export function snapshotOf(readings: ClusterReadings, collectedAt: Date): Snapshot {
  const nodeUsage = new Map(readings.nodeMetrics.map((m) => [m.metadata?.name ?? '', m.usage ?? {}]));
  const podUsage = new Map(
    readings.podMetrics.map((m) => [
      podKey(m.metadata?.namespace ?? '', m.metadata?.name ?? ''),
      (m.containers ?? []).reduce((sum, c) => ({ cpu: sum.cpu + cores(c.usage?.cpu), memory: sum.memory + bytes(c.usage?.memory) }), {
        cpu: 0,
        memory: 0,
      }),
    ]),
  );
  const podDisk = new Map<string, number>();
  for (const summary of Object.values(readings.summaries)) {
    for (const pod of summary.pods ?? []) {
      podDisk.set(podKey(pod.podRef?.namespace ?? '', pod.podRef?.name ?? ''), pod['ephemeral-storage']?.usedBytes ?? 0);
    }
  }

  const nodes: NodeSample[] = readings.nodes.flatMap((n) => {
    const name = n.metadata?.name;
    if (!name) return [];
    const usage = nodeUsage.get(name);
    const fs = readings.summaries[name]?.node?.fs;
    const capacity = n.status?.allocatable ?? n.status?.capacity ?? {};
    const sample: NodeSample = {
      name,
      cpuUsedCores: cores(usage?.cpu),
      cpuCapacityCores: cores(capacity['cpu']),
      memoryUsedBytes: bytes(usage?.memory),
      memoryCapacityBytes: bytes(capacity['memory']),
      diskUsedBytes: fs?.usedBytes ?? 0,
      diskCapacityBytes: fs?.capacityBytes ?? bytes(capacity['ephemeral-storage']),
      conditions: (n.status?.conditions ?? []).flatMap((c) =>
        c.type && PRESSURES.has(c.type) ? [{ type: c.type, status: conditionStatus(c.status) }] : [],
      ),
    };
    return [sample];
  });

  const pods: PodSample[] = readings.pods.flatMap((p) => {
    const name = p.metadata?.name;
    const namespace = p.metadata?.namespace;
    // A finished Job's pod uses nothing any more.
    if (!name || !namespace || p.status?.phase === 'Succeeded') return [];
    return [podSample(p, name, namespace, podUsage, podDisk)];
  });
  return { collectedAt, nodes, pods };
}

const conditionStatus = (status: string | undefined): 'True' | 'False' | 'Unknown' =>
  status === 'True' ? 'True' : status === 'False' ? 'False' : 'Unknown';

function podSample(
  pod: KubePod,
  name: string,
  namespace: string,
  usage: Map<string, { cpu: number; memory: number }>,
  disk: Map<string, number>,
): PodSample {
  const key = podKey(namespace, name);
  const labels = pod.metadata?.labels ?? {};
  const statuses = pod.status?.containerStatuses ?? [];
  const limits = (pod.spec?.containers ?? []).map((c) => c.resources?.limits ?? {});
  const used = usage.get(key);
  return {
    namespace,
    name,
    node: pod.spec?.nodeName ?? '',
    ...(labels[OWNER_ID_LABEL] ? { ownerId: labels[OWNER_ID_LABEL] } : {}),
    ...(labels[CONTAINER_ID_LABEL] ? { containerId: labels[CONTAINER_ID_LABEL] } : {}),
    phase: pod.status?.phase ?? 'Unknown',
    restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0),
    oomKilled: statuses.some((s) => s.lastState?.terminated?.reason === 'OOMKilled' || s.state?.terminated?.reason === 'OOMKilled'),
    cpuUsedNanocores: Math.round((used?.cpu ?? 0) * 1e9),
    memoryUsedBytes: used?.memory ?? 0,
    diskUsedBytes: disk.get(key) ?? 0,
    cpuCapacityNanocores: Math.round(limits.reduce((sum, l) => sum + cores(l['cpu']), 0) * 1e9),
    memoryCapacityBytes: limits.reduce((sum, l) => sum + bytes(l['memory']), 0),
    diskCapacityBytes: limits.reduce((sum, l) => sum + bytes(l['ephemeral-storage']), 0),
  };
}
