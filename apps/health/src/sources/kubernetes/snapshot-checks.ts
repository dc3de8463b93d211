import type { Snapshot } from '../metric-source';

const CONDITION_STATUSES = new Set(['True', 'False', 'Unknown']);

/**
 * What makes a snapshot implausible whatever the cluster (for the source's tests on hand-written, recorded and live
 * answers alike): no nodes, a node without capacity, usage beyond capacity or below zero, a pod known twice or placed
 * on a node that is not listed. Returns one line per finding; empty when the snapshot is plausible.
 */
export function implausibilities(snapshot: Snapshot): string[] {
  const found: string[] = [];
  const amount = (what: string, value: number | undefined, max = Infinity): void => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < 0) found.push(`${what} is ${value}`);
    else if (value > max) found.push(`${what} is ${value}, over its capacity ${max}`);
  };
  if (snapshot.nodes.length === 0) found.push('no nodes');
  const nodeNames = new Set<string>();
  for (const node of snapshot.nodes) {
    const at = `node ${node.name || '(unnamed)'}`;
    if (!node.name) found.push('a node without a name');
    if (nodeNames.has(node.name)) found.push(`${at} listed twice`);
    nodeNames.add(node.name);
    if (!(node.cpuCapacityCores > 0)) found.push(`${at}: no CPU capacity`);
    if (!(node.memoryCapacityBytes > 0)) found.push(`${at}: no memory capacity`);
    // metrics-server's CPU is a rate over a window and may overshoot the capacity a little.
    amount(`${at} CPU used`, node.cpuUsedCores, node.cpuCapacityCores * 1.1);
    amount(`${at} memory used`, node.memoryUsedBytes, node.memoryCapacityBytes);
    amount(`${at} disk used`, node.diskUsedBytes, node.diskCapacityBytes > 0 ? node.diskCapacityBytes : Infinity);
    amount(`${at} network rx/s`, node.networkRxBytesPerSec);
    amount(`${at} network tx/s`, node.networkTxBytesPerSec);
    for (const condition of node.conditions) {
      if (!CONDITION_STATUSES.has(condition.status)) found.push(`${at}: condition ${condition.type} is ${condition.status}`);
    }
  }
  const podKeys = new Set<string>();
  for (const pod of snapshot.pods) {
    const key = `${pod.namespace}/${pod.name}`;
    if (!pod.namespace || !pod.name) found.push(`a pod without namespace or name (${key})`);
    if (podKeys.has(key)) found.push(`pod ${key} listed twice`);
    podKeys.add(key);
    if (pod.node && !nodeNames.has(pod.node)) found.push(`pod ${key} on unlisted node ${pod.node}`);
    if (!Number.isInteger(pod.restarts) || pod.restarts < 0) found.push(`pod ${key}: restarts ${pod.restarts}`);
    amount(`pod ${key} CPU`, pod.cpuUsedNanocores);
    amount(`pod ${key} memory`, pod.memoryUsedBytes);
    amount(`pod ${key} disk`, pod.diskUsedBytes);
  }
  return found;
}
