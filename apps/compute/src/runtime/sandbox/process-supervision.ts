import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** A process we started, identified by pid and kernel start time so a reused pid is never mistaken for it. */
export interface SupervisedProcess {
  pid: number;
  startTime: string;
}

/** Only what the sandbox needs: compute's own environment (secrets included) never reaches a container. */
const SANDBOX_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

/**
 * Starts `argv` in its own session, detached from compute, its stdout and stderr appended to `logFile`: it keeps
 * running when compute exits and is re-adopted from its pid and start time.
 */
export async function spawnDetached(argv: string[], logFile: string): Promise<SupervisedProcess> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('nothing to spawn');
  const output = openSync(logFile, 'a', 0o600);
  try {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', output, output], env: SANDBOX_ENV });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid ?? -1));
    });
    child.unref();
    const startTime = await processStartTime(pid);
    // It may already have exited (a bad argument): report it with a start time that matches nothing.
    return { pid, startTime: startTime ?? 'exited' };
  } finally {
    closeSync(output);
  }
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone or a zombie. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

export async function isRunning(process: SupervisedProcess | undefined): Promise<boolean> {
  if (!process) return false;
  return (await processStartTime(process.pid)) === process.startTime;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(process: SupervisedProcess, graceMs = 2_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      globalThis.process.kill(process.pid, name);
    } catch {
      // Already gone.
    }
  };
  if (!(await isRunning(process))) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!(await isRunning(process))) return;
    await sleep(50);
  }
  signal('SIGKILL');
  for (let attempt = 0; attempt < 100 && (await isRunning(process)); attempt++) await sleep(20);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
