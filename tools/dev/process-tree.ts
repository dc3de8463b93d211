import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Every process below `rootPid`. Nx runs each task in a session of its own, so signalling Nx's
 * process group does not reach them; the start command remembers the whole tree instead and makes
 * sure nothing of it outlives `npm start` (a stray dev server would hold its port for the next run).
 */
export async function descendants(rootPid: number): Promise<number[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=']));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of stdout.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (!pid || ppid === undefined || Number.isNaN(ppid)) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM to each pid still alive, then SIGKILL to whatever is left after `graceMs`. */
export async function terminateAll(pids: readonly number[], graceMs: number): Promise<void> {
  const alive = pids.filter(isAlive);
  for (const pid of alive) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive.some(isAlive)) await new Promise((r) => setTimeout(r, 100));
  for (const pid of alive.filter(isAlive)) signal(pid, 'SIGKILL');
}

/**
 * The nearest process above `pid` whose command line starts with `name` (npm sets its title to
 * `npm start ...`), or undefined.
 */
export async function ancestorNamed(pid: number, name: string): Promise<number | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,args=']));
  } catch {
    return undefined;
  }
  const byPid = new Map<number, { parent: number; args: string }>();
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) byPid.set(Number(match[1]), { parent: Number(match[2]), args: match[3] ?? '' });
  }
  for (let current = byPid.get(pid)?.parent, hops = 0; current && current > 1 && hops < 16; current = byPid.get(current)?.parent, hops++) {
    const args = byPid.get(current)?.args ?? '';
    if (args === name || args.startsWith(`${name} `)) return current;
  }
  return undefined;
}

export interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

export async function processTable(): Promise<ProcessRow[]> {
  try {
    const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=,args=']);
    return stdout.split('\n').flatMap((line) => {
      const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' }] : [];
    });
  } catch {
    return [];
  }
}
