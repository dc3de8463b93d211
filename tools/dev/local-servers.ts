import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, createWriteStream, fchmodSync, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import type { ProbeResult } from './probes';

/** A server process `npm start` launched itself and must stop on exit. */
export interface StartedServer {
  stop(): Promise<void>;
}

/** Full path of an executable on PATH (plus the sbin folders Debian puts daemons in), or undefined. */
export function findExecutable(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** `preferred` when nothing listens on it, else a free port the kernel picks. */
export async function choosePort(preferred: number): Promise<number> {
  if (await canListen(preferred)) return preferred;
  return freePort();
}

/** True when nothing listens on 127.0.0.1:`port` (a wildcard listener counts too: the bind fails). */
export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now, picked by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a daemon in its own process group with its output in a log file, then waits until `probe`
 * says it speaks its protocol. Its own group means a Ctrl-C in the terminal reaches `npm start`
 * only, so the apps stop before their infrastructure does.
 */
/**
 * A log file under `.data/logs` only its owner may read (600, folder 700): daemons and apps print connection URLs
 * and hints there. A file left by an older run with wider permissions is narrowed.
 */
export function openPrivateLog(file: string): WriteStream {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  // Opened synchronously, so the file exists (and is narrowed) before any line is written.
  const fd = openSync(file, 'a', 0o600);
  fchmodSync(fd, 0o600);
  return createWriteStream('', { fd });
}

export async function startDaemon(options: {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  probe: () => Promise<ProbeResult>;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<StartedServer> {
  const log = openPrivateLog(options.logFile);
  const child = spawn(options.command, options.args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  child.once('error', (error) => (exited = error.message));

  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: ProbeResult = { ok: false, reason: 'not started' };
  while (Date.now() < deadline && exited === undefined) {
    last = await options.probe();
    if (last.ok) return { stop: () => stopChild(child) };
    await sleep(250);
  }
  await stopChild(child);
  const why = exited ?? (last.ok ? 'unknown' : last.reason);
  throw new Error(`${options.name} did not come up (${why}); see ${options.logFile}`);
}

/** SIGTERM, then SIGKILL if it lingers: every daemon here shuts down cleanly on SIGTERM. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
