import type { NodeSample, PodSample } from '../src/sources/metric-source';

const GIB = 1024 ** 3;

export const nodeSample = (over: Partial<NodeSample> = {}): NodeSample => ({
  name: 'node-a',
  cpuUsedCores: 0.5,
  cpuCapacityCores: 2,
  memoryUsedBytes: 4 * GIB,
  memoryCapacityBytes: 16 * GIB,
  diskUsedBytes: 20 * GIB,
  diskCapacityBytes: 100 * GIB,
  conditions: [],
  ...over,
});

export const podSample = (over: Partial<PodSample> = {}): PodSample => ({
  namespace: 'compute-aaaa1111',
  name: 'web',
  node: 'node-a',
  phase: 'running',
  restarts: 0,
  oomKilled: false,
  cpuUsedNanocores: 1000,
  memoryUsedBytes: 64 * 1024 * 1024,
  diskUsedBytes: 1024,
  cpuCapacityNanocores: 500_000_000,
  memoryCapacityBytes: 512 * 1024 * 1024,
  diskCapacityBytes: GIB,
  ...over,
});
