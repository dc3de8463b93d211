import { readFile, statfs } from 'node:fs/promises';

/** Parsers of the kernel's /proc text (proc(5)), kept pure so they are tested on recorded text. */

export interface CpuTimes {
  /** Jiffies spent not idle, and in total, since boot (all CPUs together). */
  busy: number;
  total: number;
}

/** The first `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal (guest is inside user). */
export function parseCpuTimes(stat: string): CpuTimes {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no cpu line');
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const idleAll = idle + iowait;
  const total = user + nice + system + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

/** The share of CPU time that was busy between two readings, 0..1 (0 when no time passed). */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (after.busy - before.busy) / total));
}

export interface MemoryInfo {
  totalBytes: number;
  /** MemTotal - MemAvailable: what the `free` command calls used, caches excluded. */
  usedBytes: number;
}

export function parseMemInfo(meminfo: string): MemoryInfo {
  const kib = (key: string): number | undefined => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const total = kib('MemTotal');
  if (total === undefined) throw new Error('/proc/meminfo has no MemTotal');
  const available = kib('MemAvailable') ?? (kib('MemFree') ?? 0) + (kib('Cached') ?? 0) + (kib('Buffers') ?? 0);
  return { totalBytes: total, usedBytes: Math.max(0, total - available) };
}

export function parseLoad1(loadavg: string): number {
  const value = Number(loadavg.trim().split(/\s+/)[0]);
  return Number.isFinite(value) ? value : 0;
}

export interface NetworkTotals {
  rxBytes: number;
  txBytes: number;
}

/** Bytes received and sent since boot by every interface but loopback (/proc/net/dev). */
export function parseNetDev(netdev: string): NetworkTotals {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of netdev.split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name?.trim() === 'lo') continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    rxBytes += fields[0] ?? 0;
    txBytes += fields[8] ?? 0;
  }
  return { rxBytes, txBytes };
}

/** The number of CPUs: `cpuN` lines of /proc/stat. */
export function parseCpuCount(stat: string): number {
  return Math.max(1, stat.split('\n').filter((l) => /^cpu\d+\s/.test(l)).length);
}

export interface ProcReading {
  cpu: CpuTimes;
  cpuCount: number;
  memory: MemoryInfo;
  load1: number;
  network: NetworkTotals;
  disk: { totalBytes: number; usedBytes: number };
}

/** Reads the files above, and the filesystem holding `diskPath` (statfs). */
export async function readProc(procRoot: string, diskPath: string): Promise<ProcReading> {
  const [stat, meminfo, loadavg, netdev, fs] = await Promise.all([
    readFile(`${procRoot}/stat`, 'utf8'),
    readFile(`${procRoot}/meminfo`, 'utf8'),
    readFile(`${procRoot}/loadavg`, 'utf8'),
    readFile(`${procRoot}/net/dev`, 'utf8').catch(() => ''),
    statfs(diskPath),
  ]);
  const totalBytes = fs.blocks * fs.bsize;
  return {
    cpu: parseCpuTimes(stat),
    cpuCount: parseCpuCount(stat),
    memory: parseMemInfo(meminfo),
    load1: parseLoad1(loadavg),
    network: parseNetDev(netdev),
    // Used as df counts it: everything not free (reserved blocks included).
    disk: { totalBytes, usedBytes: totalBytes - fs.bfree * fs.bsize },
  };
}
