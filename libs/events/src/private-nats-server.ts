// A nats-server of the test's own (own port, own store directory) for tests that stop and restart NATS:
// the shared server on 4222 must never be restarted.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

// Debian installs it in /usr/sbin, which a non-root PATH often lacks.
const NATS_SERVER =
  process.env['NATS_SERVER_BIN'] ??
  ['/usr/sbin/nats-server', '/usr/local/bin/nats-server'].find((path) => existsSync(path)) ??
  'nats-server';
const READY_TIMEOUT_MS = 15_000;

/** True when a nats-server binary can be run (tests that need one skip otherwise). */
export const hasNatsServer = spawnSync(NATS_SERVER, ['--version']).status === 0;

export interface PrivateNatsServer {
  /** `nats://127.0.0.1:<port>`: the same after a restart, so clients reconnect by themselves. */
  url: string;
  port: number;
  storeDir: string;
  /** Stops the server (SIGTERM) and waits for it to exit; the store directory is kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store directory (JetStream streams survive). */
  start(): Promise<void>;
  /** Stops it and removes the store directory. */
  dispose(): Promise<void>;
  /** How many messages the stream stores per subject matching `filter`, e.g. `auth.session.*.created`. */
  subjectCounts(stream: string, filter: string): Promise<Record<string, number>>;
  /** What the server logged so far (permission violations are logged there), last 1 MiB. */
  log(): string;
}

export interface PrivateNatsServerOptions {
  /** A server configuration file (`-c`), e.g. with users and permissions; port and store are still ours. */
  configFile?: string;
  /** Extra environment for the server (a config may read `$VARIABLES`). */
  env?: Record<string, string>;
}

const MAX_LOG_CHARS = 1 << 20;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function launch(port: number, storeDir: string, options: PrivateNatsServerOptions, onLog: (text: string) => void): Promise<ChildProcess> {
  const config = options.configFile ? ['-c', options.configFile] : [];
  const child = spawn(NATS_SERVER, [...config, '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  child.stderr?.on('data', (chunk: Buffer) => onLog(chunk.toString()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not get ready in ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Server is ready')) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function terminate(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// A free port found by probing can be taken by another process (a parallel test) before nats-server binds it.
const PORT_ATTEMPTS = 5;

async function launchOnFreePort(
  storeDir: string,
  options: PrivateNatsServerOptions,
  onLog: (text: string) => void,
): Promise<{ port: number; child: ChildProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { port, child: await launch(port, storeDir, options, onLog) };
    } catch (error) {
      const taken = error instanceof Error && /address already in use/i.test(error.message);
      if (!taken || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

/** Starts a JetStream nats-server on a free port with a fresh store directory. Dispose of it in afterAll. */
export async function startPrivateNatsServer(options: PrivateNatsServerOptions = {}): Promise<PrivateNatsServer> {
  const storeDir = mkdtempSync(join(tmpdir(), 'edd-nats-'));
  let log = '';
  const onLog = (text: string): void => {
    log = (log + text).slice(-MAX_LOG_CHARS);
  };
  const { port, child: first } = await launchOnFreePort(storeDir, options, onLog);
  let child: ChildProcess | undefined = first;
  const url = `nats://127.0.0.1:${port}`;
  return {
    url,
    port,
    storeDir,
    async stop() {
      await terminate(child);
      child = undefined;
    },
    async start() {
      if (child) return;
      child = await launch(port, storeDir, options, onLog);
    },
    async dispose() {
      await terminate(child);
      child = undefined;
      rmSync(storeDir, { recursive: true, force: true });
    },
    log: () => log,
    async subjectCounts(stream, filter) {
      const nc = await connect({ servers: url, name: 'edd-private-nats-testing' });
      try {
        const info = await (await jetstreamManager(nc)).streams.info(stream, { subjects_filter: filter });
        return { ...info.state.subjects };
      } finally {
        await nc.close();
      }
    },
  };
}
