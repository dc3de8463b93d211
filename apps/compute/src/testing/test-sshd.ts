import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519Pair } from '@edd/ssh-keys';

const SSHD = '/usr/sbin/sshd';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export interface TestSshd {
  port: number;
  hostKey: KeyPair;
  /** Rewrites the authorized_keys file sshd reads on every login. */
  authorize(lines: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Why a real sshd cannot run here, or undefined when it can (it needs root for its privilege separation). */
export function testSshdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'sshd needs root';
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server)`;
  return undefined;
}

export function generateEd25519(): KeyPair {
  return generateEd25519Pair();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${output()}`);
}

/** A real OpenSSH server on loopback with its own host key and authorized_keys, for tests of SSH clients. */
export async function startTestSshd(): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'edd-sshd-'));
  const hostKey = generateEd25519();
  const port = await freePort();
  const authorizedKeys = join(dir, 'authorized_keys');
  await writeFile(join(dir, 'host_key'), hostKey.privateKey, { mode: 0o600 });
  await writeFile(authorizedKeys, '', { mode: 0o600 });
  await writeFile(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  await mkdir('/run/sshd', { recursive: true });
  await chmod('/run/sshd', 0o755);
  const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  await waitForPort(port, child, () => output);
  return {
    port,
    hostKey,
    authorize: (lines) => writeFile(authorizedKeys, lines.map((line) => `${line}\n`).join(''), { mode: 0o600 }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
