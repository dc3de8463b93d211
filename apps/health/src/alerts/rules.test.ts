import { describe, expect, it } from 'vitest';
import type { NodeSample, PodSample, Snapshot } from '../sources/metric-source';
import { DISK_COOLDOWN_MS, emptyMemory, evaluateRules, type RuleMemory } from './rules';

const GIB = 1024 ** 3;
const node = (over: Partial<NodeSample> = {}): NodeSample => ({
  name: 'n1',
  cpuUsedCores: 0.5,
  cpuCapacityCores: 2,
  memoryUsedBytes: 4 * GIB,
  memoryCapacityBytes: 16 * GIB,
  diskUsedBytes: 10 * GIB,
  diskCapacityBytes: 100 * GIB,
  conditions: [],
  ...over,
});
const pod = (over: Partial<PodSample> = {}): PodSample => ({
  namespace: 'compute-abcd1234',
  name: 'web',
  node: 'n1',
  ownerId: 'Owner1',
  phase: 'running',
  restarts: 0,
  oomKilled: false,
  cpuUsedNanocores: 0,
  memoryUsedBytes: 0,
  diskUsedBytes: 0,
  cpuCapacityNanocores: 0,
  memoryCapacityBytes: 0,
  diskCapacityBytes: 0,
  ...over,
});
const snap = (nodes: NodeSample[], pods: PodSample[] = []): Snapshot => ({ collectedAt: new Date(0), nodes, pods });

/** Runs samples in order, returning what was active after each. */
function run(samples: Snapshot[], errors: Array<Array<{ source: string; count: number }>> = []) {
  let memory: RuleMemory = emptyMemory();
  return samples.map((s, i) => {
    const result = evaluateRules(s, errors[i] ?? [], memory);
    memory = result.memory;
    return result.active;
  });
}

describe('alert rules', () => {
  it('fires nothing for a healthy node', () => {
    expect(run([snap([node()]), snap([node()])])).toEqual([[], []]);
  });

  it('CPU above 90 % fires only on the second consecutive sample, and a dip resets the count', () => {
    const hot = node({ cpuUsedCores: 1.9 });
    const [first, second, dip, again] = run([snap([hot]), snap([hot]), snap([node()]), snap([hot])]);
    expect(first).toEqual([]);
    expect(second).toEqual([expect.objectContaining({ key: 'cpu_high:n1', rule: 'cpu_high', severity: 'critical' })]);
    expect(dip).toEqual([]);
    expect(again).toEqual([]);
  });

  it('exactly 90 % CPU is not above the threshold', () => {
    const edge = node({ cpuUsedCores: 1.8 });
    expect(run([snap([edge]), snap([edge])])[1]).toEqual([]);
  });

  it('memory above 85 % is a warning at once; disk above 90 % has a 15 min cooldown', () => {
    const [active] = run([snap([node({ memoryUsedBytes: 14 * GIB, diskUsedBytes: 95 * GIB })])]);
    expect(active).toEqual([
      expect.objectContaining({ key: 'memory_high:n1', severity: 'warning' }),
      expect.objectContaining({ key: 'disk_high:n1', severity: 'warning', cooldownMs: DISK_COOLDOWN_MS }),
    ]);
  });

  it('a node pressure condition that is True is critical, one per condition; False or Ready are not', () => {
    const [active] = run([
      snap([
        node({
          conditions: [
            { type: 'MemoryPressure', status: 'True' },
            { type: 'DiskPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
        }),
      ]),
    ]);
    expect(active).toEqual([expect.objectContaining({ key: 'node_pressure:n1:MemoryPressure', severity: 'critical' })]);
  });

  it('a restart count that grows fires for the container’s owner; the first sight of a pod does not', () => {
    const [first, same, grown] = run([
      snap([node()], [pod({ restarts: 2 })]),
      snap([node()], [pod({ restarts: 2 })]),
      snap([node()], [pod({ restarts: 3 })]),
    ]);
    expect(first).toEqual([]);
    expect(same).toEqual([]);
    expect(grown).toEqual([
      expect.objectContaining({ key: 'container_restart:compute-abcd1234/web', ownerId: 'Owner1', subject: 'compute-abcd1234/web' }),
    ]);
  });

  it('pods with the same name in different namespaces are told apart', () => {
    const a = pod({ namespace: 'compute-aaaaaaaa', name: 'container' });
    const b = pod({ namespace: 'compute-bbbbbbbb', name: 'container', ownerId: 'Other' });
    const [, second] = run([snap([node()], [a, b]), snap([node()], [a, { ...b, restarts: 1 }])]);
    expect(second).toEqual([expect.objectContaining({ subject: 'compute-bbbbbbbb/container', ownerId: 'Other' })]);
  });

  it('an OOM kill is critical, keyed by restart count, without cooldown', () => {
    const [active] = run([snap([node()], [pod({ oomKilled: true, restarts: 4 })])]);
    expect(active).toEqual([expect.objectContaining({ key: 'container_oom:compute-abcd1234/web:4', severity: 'critical', cooldownMs: 0 })]);
  });

  it('five ERROR entries from one source in the window fire an error burst; four do not', () => {
    const [active] = run(
      [snap([node()])],
      [
        [
          { source: 'storage', count: 5 },
          { source: 'auth', count: 4 },
        ],
      ],
    );
    expect(active).toEqual([expect.objectContaining({ key: 'error_burst:storage', rule: 'error_burst', subject: 'storage' })]);
  });

  it('forgets nodes and pods that are gone (its memory does not grow with churn)', () => {
    const hot = node({ name: 'gone', cpuUsedCores: 1.95 });
    let memory = evaluateRules(snap([hot], [pod({ name: 'old', restarts: 1 })]), [], emptyMemory()).memory;
    expect(memory.cpuStreak).toEqual({ gone: 1 });
    memory = evaluateRules(snap([node()], []), [], memory).memory;
    expect(memory).toEqual({ cpuStreak: {}, restarts: {} });
  });
});
