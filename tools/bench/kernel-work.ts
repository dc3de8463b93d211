/**
 * What a proxy asks of the kernel per request besides its system calls: the TCP segments the machine sends (`nstat`,
 * machine-wide, so the load generator's and the upstream's are in it too: with nothing else running, four per proxied
 * request is the least), and the proxy's own context switches and minor page faults (`/proc`). Read around a load;
 * the same for two proxies means their kernel time differs only with the load the machine is under.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { procCounters } from './proc-cpu';

const run = promisify(execFile);

export interface KernelCounters {
  /** TcpOutSegs, machine-wide; undefined without nstat (Debian: iproute2). */
  segments: number | undefined;
  contextSwitches: number;
  minorFaults: number;
}

/** A counter's value from `nstat -az` output ("TcpOutSegs   4021   0.0"), or undefined. */
export function nstatCounter(text: string, name: string): number | undefined {
  const row = new RegExp(`^${name}\\s+(\\d+)`, 'm').exec(text);
  return row ? Number(row[1]) : undefined;
}

/** The counters now, for process `pid` (all its threads). */
export async function readKernelCounters(pid: number): Promise<KernelCounters> {
  const segments = await run('nstat', ['-asz', 'TcpOutSegs']).then(
    ({ stdout }) => nstatCounter(stdout, 'TcpOutSegs'),
    () => undefined,
  );
  const proc = procCounters(pid);
  return { segments, contextSwitches: proc.voluntarySwitches + proc.involuntarySwitches, minorFaults: proc.minorFaults };
}

/** The counters' growth from `before` to `after` per request, as text for a report's cell. */
export function kernelWorkPerRequest(before: KernelCounters, after: KernelCounters, requests: number): string {
  const per = (a: number, b: number): string => ((b - a) / requests).toFixed(2);
  const segments = before.segments === undefined || after.segments === undefined ? '–' : per(before.segments, after.segments);
  return `${segments}, ${per(before.contextSwitches, after.contextSwitches)}, ${per(before.minorFaults, after.minorFaults)}`;
}
