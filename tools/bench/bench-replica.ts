import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Replica {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs a service's real entry in its own process and resolves once it logged `listening`. LOG_LEVEL stays at
 * info, since that line is logged at info: at warn the bench waited for it forever. Bounded by `timeoutMs`.
 */
export function startReplica(
  root: string,
  entry: string,
  env: Record<string, string>,
  options: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<Replica> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tail: string[] = []; // last lines, for the error when it never listens
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  if (child.stdout === null || child.stderr === null || child.pid === undefined) {
    child.kill('SIGKILL');
    return Promise.reject(new Error(`${entry}: spawn failed`));
  }
  const { pid } = child;
  // Warnings and errors go on showing after start-up; info lines are dropped once it listens.
  createInterface({ input: child.stderr }).on('line', (line) => {
    keep(line);
    process.stderr.write(`[replica ${pid}] ${line}\n`);
  });
  return new Promise<Replica>((resolve, reject) => {
    let listening = false;
    const timer = setTimeout(() => {
      void stop(0);
      reject(new Error(`${entry} did not listen within ${timeoutMs} ms:\n${tail.join('\n')}`));
    }, timeoutMs);
    void exited.then(() => {
      clearTimeout(timer);
      if (!listening) reject(new Error(`${entry} exited before listening:\n${tail.join('\n')}`));
      else process.stderr.write(`[replica ${pid}] exited (code ${child.exitCode ?? child.signalCode})\n`);
    });
    createInterface({ input: child.stdout ?? undefined }).on('line', (line) => {
      let parsed: { msg?: unknown; port?: unknown; level?: unknown };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        return;
      }
      if (!listening) keep(line);
      if (listening && (parsed.level === 'warn' || parsed.level === 'error')) process.stderr.write(`[replica ${pid}] ${line}\n`);
      if (!listening && parsed.msg === 'listening' && typeof parsed.port === 'number') {
        listening = true;
        clearTimeout(timer);
        resolve({ url: `ws://127.0.0.1:${parsed.port}`, pid, stop });
      }
    });
  });
}
