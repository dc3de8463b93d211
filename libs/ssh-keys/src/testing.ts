import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519Pair } from './ed25519-pair';

// Test helpers only (`@edd/ssh-keys/testing`): a real OpenSSH sshd for tests and benchmarks of SSH clients.

const SSHD = '/usr/sbin/sshd';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function ed25519(): KeyPair {
  return generateEd25519Pair();
}

/** Why a real sshd cannot run here, or undefined when it can (it needs root for its privilege separation). */
export function testSshdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'sshd needs root';
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server)`;
  return undefined;
}

/**
 * A real OpenSSH sshd standing in for a container: its own host key, hostname (UTS namespace), authorized keys and an
 * empty /root (mount namespace); the rest of the filesystem is the host's.
 */
export interface TestSshd {
  id: string;
  address: string;
  port: number;
  hostKey: KeyPair;
  /** What compute would hand the gateway: the key the container's authorized_keys trusts. */
  platformKey: KeyPair;
  dir: string;
  /** Rewrites the authorized_keys file sshd reads on every login (replacing the platform key). */
  authorize(lines: string[]): Promise<void>;
  /** Kills sshd and every process under it (open sessions included), as a container crash would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Pids of every process below `root` (from /proc: parent pid is field 4 of /proc/<pid>/stat). */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[1]) parents.set(Number(entry), Number(fields[1]));
  }
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, parent] of parents) {
      if (parent !== pid) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

async function freePort(): Promise<number> {
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

function sshdConfig(dir: string, port: number, extra: string[]): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${dir}/host_key`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PidFile none',
    'AcceptEnv LANG LC_*',
    'AllowTcpForwarding yes',
    // The concurrency test opens many logins at once; sshd's default (10:30:100) would drop some.
    'MaxStartups 500',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    ...extra,
    '',
  ].join('\n');
}

/**
 * Starts `/usr/sbin/sshd -D` on a free loopback port in its own UTS and mount namespaces (`hostname` answers the id,
 * /root is empty), with the same sshd_config essentials as compute's sandbox runtime. Resolves once it accepts
 * connections.
 */
export async function startTestSshd(
  id = 'sshd',
  hostKey: KeyPair = ed25519(),
  /** More sshd_config lines (e.g. `AllowAgentForwarding no`). */
  extraConfig: string[] = [],
): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), `edd-gw-sshd-${id}-`));
  const platformKey = ed25519();
  await writeFile(join(dir, 'host_key'), hostKey.privateKey, { mode: 0o600 });
  await writeFile(join(dir, 'authorized_keys'), `${platformKey.publicKey}\n`, { mode: 0o600 });
  // root's home inside is empty, as in a fresh container: the host's ~/.bashrc (bash reads it for every `ssh host
  // cmd`) must not run in each session; on a developer's machine it can take seconds and a lock (pyenv init).
  await mkdir(join(dir, 'home'), { mode: 0o700 });
  await mkdir('/run/sshd', { recursive: true });
  await chmod('/run/sshd', 0o755);
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    await writeFile(join(dir, 'sshd_config'), sshdConfig(dir, port, extraConfig));
    const script = `mount --bind "$2" /root && hostname "$0" && exec ${SSHD} -D -e -f "$1"`;
    const candidate = spawn('unshare', ['--uts', '--mount', 'sh', '-c', script, id, join(dir, 'sshd_config'), join(dir, 'home')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started = await new Promise<boolean>((resolve) => {
      let output = '';
      candidate.stderr?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
        if (output.includes('Server listening')) resolve(true);
      });
      candidate.once('exit', () => resolve(false));
    });
    if (started) child = candidate;
  }
  if (!child) throw new Error(`sshd for ${id} did not start`);
  const running = child;
  const alive = () => running.exitCode === null && running.signalCode === null;
  return {
    id,
    address: '127.0.0.1',
    port,
    hostKey,
    platformKey,
    dir,
    authorize: (lines) => writeFile(join(dir, 'authorized_keys'), lines.map((line) => `${line}\n`).join(''), { mode: 0o600 }),
    async kill() {
      const pids = running.pid ? await descendants(running.pid) : [];
      const exited = alive() ? new Promise((resolve) => running.once('exit', resolve)) : Promise.resolve();
      running.kill('SIGKILL');
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    },
    async stop() {
      if (alive()) {
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { OpenSshClient, PTY_DRIVER, run, type RunResult } from './testing/openssh-client';
