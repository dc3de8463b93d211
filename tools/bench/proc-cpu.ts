import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

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
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the ")" that closes the command name: utime is field 14, stime 15 (1-based).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      user += Number(fields[11]);
      system += Number(fields[12]);
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
}

export function procCounters(pid: number): ProcCounters {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const ioField = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
  let voluntarySwitches = 0;
  let involuntarySwitches = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      voluntarySwitches += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      involuntarySwitches += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // the thread ended meanwhile
    }
  }
  return {
    userMicros: (Number(fields[11]) * 1_000_000) / TICKS_PER_SECOND,
    systemMicros: (Number(fields[12]) * 1_000_000) / TICKS_PER_SECOND,
    readCalls: ioField('syscr'),
    writeCalls: ioField('syscw'),
    voluntarySwitches,
    involuntarySwitches,
  };
}
