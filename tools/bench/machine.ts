import { cpus, loadavg, release } from 'node:os';
import { readFileSync } from 'node:fs';

/** What a benchmark records of the machine around a run, so a slow machine can be told from a slow program. */
export interface MachineSample {
  at: number;
  load: [number, number, number];
  /** Cumulative CPU ticks of all cores (/proc/stat "cpu" line): all of them, and those stolen by the hypervisor. */
  totalTicks: number;
  stealTicks: number;
}

export function sampleMachine(): MachineSample {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user).
  const ticks = cpuLine.trim().split(/\s+/).slice(1, 9).map(Number);
  return {
    at: Date.now(),
    load: [one, five, fifteen],
    totalTicks: ticks.reduce((sum, n) => sum + n, 0),
    stealTicks: ticks[7] ?? 0,
  };
}

/** Share of all CPU time between two samples that the hypervisor gave to someone else, in %. */
export function stealPercent(before: MachineSample, after: MachineSample): number {
  const total = after.totalTicks - before.totalTicks;
  return total > 0 ? ((after.stealTicks - before.stealTicks) / total) * 100 : 0;
}

export function describeMachine(): string {
  const list = cpus();
  return `${list.length} × ${list[0]?.model.trim() ?? 'unknown CPU'}, Linux ${release()}, Node ${process.version}`;
}

export const formatLoad = (sample: MachineSample): string => sample.load.map((n) => n.toFixed(2)).join(' / ');

/**
 * What one system call costs from Node on this machine: `process.kill(pid, 0)` (a signal check, about the cheapest
 * call Node makes straight to the kernel) `calls` times, CPU time per call split as the kernel accounts it. On a
 * machine whose kernel entries are expensive (a paravirtualised guest with page-table isolation: ~1 µs, half of it
 * counted as user time) every proxy pays this for each of its reads and writes, so it says how much of a proxy's CPU
 * per request is the system calls' count rather than its own work.
 */
export function systemCallCost(calls = 200_000): { userNs: number; systemNs: number } {
  const pid = process.pid;
  process.kill(pid, 0);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) process.kill(pid, 0);
  const used = process.cpuUsage(before);
  return { userNs: (used.user * 1000) / calls, systemNs: (used.system * 1000) / calls };
}

export function describeSystemCallCost(): string {
  const { userNs, systemNs } = systemCallCost();
  return `a system call from Node (\`process.kill(pid, 0)\`) takes ${(userNs / 1000).toFixed(2)} µs user + ${(systemNs / 1000).toFixed(2)} µs system time`;
}
