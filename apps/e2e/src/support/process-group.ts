import { spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';

/** Starts `command` as the leader of a new process group, output appended to `logFile`. */
export function startGroup(command: string, args: string[], options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv }) {
  const log = openSync(options.logFile, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', log, log] });
  let exited = false;
  child.on('exit', () => (exited = true));
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { pid: child.pid, isAlive: () => !exited };
}

/** Every descendant of `pid` (read from /proc), so processes that left the group can still be found. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent !== current || found.includes(child)) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Running (a zombie has exited: it only waits for a parent that may never reap it in a container). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM the group (a graceful shutdown), then SIGKILL whatever of it and its descendants is left after `graceMs`. */
export async function stopGroup(pid: number, graceMs = 45_000): Promise<void> {
  const family = [pid, ...descendantsOf(pid)];
  signal(-pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && family.some(alive)) await new Promise((resolve) => setTimeout(resolve, 250));
  signal(-pid, 'SIGKILL');
  for (const member of family) if (alive(member)) signal(member, 'SIGKILL');
}
