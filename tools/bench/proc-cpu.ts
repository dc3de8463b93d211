import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * The fields of a /proc/<pid>/stat after the ")" that closes the command name, which may itself hold spaces and
 * parentheses: index 0 is field 3 (state) of proc(5).
 */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
// Indexes into statFields: minflt (field 10), utime (14), stime (15).
const MINFLT = 7;
const UTIME = 11;
const STIME = 12;

/** Minor page faults of a process so far: a page faulted in (a fresh buffer touched) shows here. */
export function minorFaults(pid: number): number {
  return minorFaultsIn(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** minflt of a /proc/<pid>/stat. */
export function minorFaultsIn(stat: string): number {
  return Number(statFields(stat)[MINFLT]);
}

/** The context switches a /proc/<pid>/task/<tid>/status counts for its thread. */
export function switchesOf(status: string): { voluntary: number; involuntary: number } {
  return {
    voluntary: Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    involuntary: Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0),
  };
}

/** utime + stime of a process and all its descendants (nginx master + worker, cluster primary + workers), in µs. */
export function cpuMicros(pid: number): number {
  const { user, system } = cpuSplitMicros(pid);
  return user + system;
}

/** The same, kept apart: user mode (the process's own code) and kernel mode (its system calls, the network stack). */
export function cpuSplitMicros(pid: number): { user: number; system: number } {
  let user = 0;
  let system = 0;
  for (const p of withDescendants(pid)) {
    try {
      const fields = statFields(readFileSync(`/proc/${p}/stat`, 'utf8'));
      user += Number(fields[UTIME]);
      system += Number(fields[STIME]);
    } catch {
      // exited meanwhile
    }
  }
  return { user: (user * 1_000_000) / TICKS_PER_SECOND, system: (system * 1_000_000) / TICKS_PER_SECOND };
}

function withDescendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim();
      if (children) out.push(...children.split(' ').map(Number));
    } catch {
      // gone
    }
  }
  return out;
}

/** What one process (all its threads) has done so far, from /proc: the bench diffs two of these around a transfer. */
export interface ProcCounters {
  /** CPU in user and in kernel mode, µs. */
  userMicros: number;
  systemMicros: number;
  /** read-like and write-like system calls (/proc/<pid>/io syscr, syscw). */
  readCalls: number;
  writeCalls: number;
  /** Context switches of all threads: voluntary (waited for I/O or a lock), involuntary (preempted). */
  voluntarySwitches: number;
  involuntarySwitches: number;
  minorFaults: number;
}

export function procCounters(pid: number): ProcCounters {
  const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const ioField = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
  let voluntarySwitches = 0;
  let involuntarySwitches = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const switches = switchesOf(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'));
      voluntarySwitches += switches.voluntary;
      involuntarySwitches += switches.involuntary;
    } catch {
      // the thread ended meanwhile
    }
  }
  return {
    userMicros: (Number(fields[UTIME]) * 1_000_000) / TICKS_PER_SECOND,
    systemMicros: (Number(fields[STIME]) * 1_000_000) / TICKS_PER_SECOND,
    readCalls: ioField('syscr'),
    writeCalls: ioField('syscw'),
    voluntarySwitches,
    involuntarySwitches,
    minorFaults: Number(fields[MINFLT]),
  };
}
