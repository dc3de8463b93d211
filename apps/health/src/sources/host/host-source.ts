import { hostname } from 'node:os';
import type { ContainerUsage } from '@edd/api-contracts';
import type { Logger } from '@edd/logger';
import type { MetricSource, NodeSample, PodSample, Snapshot } from '../metric-source';
import { busyShare, readProc, type ProcReading } from './proc-files';

export interface HostSourceOptions {
  /** The node's name (default: the machine's hostname). */
  nodeName?: string;
  procRoot?: string;
  /** A path on the filesystem whose usage is the node's disk (default `/`). */
  diskPath?: string;
  /** compute's running containers; a failure leaves the sample without pods rather than failing it. */
  containers?: () => Promise<ContainerUsage[]>;
  logger?: Logger;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/**
 * This machine as the only node (from /proc and statfs), and compute's containers as its pods. CPU and network are
 * rates: each sample is measured against the previous reading (the first against the one taken at creation).
 */
export function createHostSource(options: HostSourceOptions = {}): MetricSource {
  const procRoot = options.procRoot ?? '/proc';
  const diskPath = options.diskPath ?? '/';
  const nodeName = options.nodeName ?? hostname();
  let previous: { reading: ProcReading; at: number } | undefined;
  // compute reports each container's CPU time (cumulative): its rate is taken against the previous sample's reading.
  let containerCpu = new Map<string, { seconds: number; at: number }>();
  const primed = readProc(procRoot, diskPath).then(
    (reading) => void (previous = { reading, at: Date.now() }),
    () => undefined,
  );

  async function containers(): Promise<ContainerUsage[]> {
    if (!options.containers) return [];
    try {
      return await options.containers();
    } catch (error) {
      options.logger?.warn('host source: compute containers unavailable', { error: String(error) });
      return [];
    }
  }

  return {
    name: 'host',
    async collect(): Promise<Snapshot> {
      await primed;
      const [reading, usage] = await Promise.all([readProc(procRoot, diskPath), containers()]);
      const at = Date.now();
      const before = previous;
      previous = { reading, at };
      const seconds = before ? Math.max(0.001, (at - before.at) / 1000) : 0;
      const rate = (now: number, then: number | undefined) =>
        then === undefined || seconds === 0 ? 0 : Math.max(0, (now - then) / seconds);
      const node: NodeSample = {
        name: nodeName,
        cpuUsedCores: before ? busyShare(before.reading.cpu, reading.cpu) * reading.cpuCount : 0,
        cpuCapacityCores: reading.cpuCount,
        memoryUsedBytes: reading.memory.usedBytes,
        memoryCapacityBytes: reading.memory.totalBytes,
        diskUsedBytes: reading.disk.usedBytes,
        diskCapacityBytes: reading.disk.totalBytes,
        load1: reading.load1,
        networkRxBytesPerSec: rate(reading.network.rxBytes, before?.reading.network.rxBytes),
        networkTxBytesPerSec: rate(reading.network.txBytes, before?.reading.network.txBytes),
        // A single machine reports no kubelet conditions: pressure is judged from the gauges by the alert rules.
        conditions: [],
      };
      const cpuNow = new Map<string, { seconds: number; at: number }>();
      const cpuCores = (container: ContainerUsage): number => {
        const seconds = container.cpu_used_seconds;
        if (seconds === undefined) return 0;
        cpuNow.set(container.container_id, { seconds, at });
        const then = containerCpu.get(container.container_id);
        // First sight, or a restarted container whose counter began again: no rate yet.
        if (!then || at <= then.at || seconds < then.seconds) return 0;
        return (seconds - then.seconds) / ((at - then.at) / 1000);
      };
      const pods = usage.map((c) => podOf(c, nodeName, cpuCores(c)));
      // Containers gone since are forgotten.
      containerCpu = cpuNow;
      return { collectedAt: new Date(at), nodes: [node], pods };
    },
    close: () => Promise.resolve(),
  };
}

function podOf(container: ContainerUsage, node: string, cpuCores: number): PodSample {
  return {
    // compute's own naming on every runtime: one namespace per container.
    namespace: `compute-${container.container_id}`,
    name: container.name,
    node,
    ownerId: container.owner_id,
    containerId: container.container_id,
    phase: container.status,
    restarts: container.restarts,
    oomKilled: false,
    // 0 until two samples of a runtime that measures CPU time (sandbox with cgroups, Docker) are in.
    cpuUsedNanocores: Math.round(cpuCores * 1e9),
    memoryUsedBytes: container.memory_used_bytes ?? 0,
    diskUsedBytes: container.storage_used_bytes ?? 0,
    cpuCapacityNanocores: container.cpu_millis * 1_000_000,
    memoryCapacityBytes: container.memory_mb * MIB,
    diskCapacityBytes: container.storage_gb * GIB,
  };
}
