import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostKey } from '../host-keys';
import type { KeyPair } from '@edd/ssh-keys/testing';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Debian's OpenSSH client binaries pointed at the gateway: a known_hosts file holding exactly the gateway's host
 * keys (StrictHostKeyChecking=yes, so any other key fails), one identity, no user config, no agent.
 */
export class OpenSshClient {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly knownHosts: string,
  ) {}

  static async create(port: number, hostKeys: HostKey[]): Promise<OpenSshClient> {
    const dir = await mkdtemp(join(tmpdir(), 'edd-gw-client-'));
    const knownHosts = join(dir, 'known_hosts');
    await writeFile(knownHosts, hostKeys.map((key) => `[127.0.0.1]:${port} ${key.publicKey}\n`).join(''));
    return new OpenSshClient(dir, port, knownHosts);
  }

  async identity(name: string, key: KeyPair): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, key.privateKey, { mode: 0o600 });
    return path;
  }

  options(identity: string, port = this.port, portFlag = '-p'): string[] {
    return [
      '-F',
      '/dev/null',
      '-i',
      identity,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'IdentityAgent=none',
      '-o',
      `UserKnownHostsFile=${this.knownHosts}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      portFlag,
      String(port),
    ];
  }

  ssh(
    identity: string,
    login: string,
    command: string,
    options: { port?: number; flags?: string[]; input?: string; timeoutMs?: number } = {},
  ): Promise<RunResult> {
    // Flags first: for a repeated -o, ssh keeps the first value.
    return run('ssh', [...(options.flags ?? []), ...this.options(identity, options.port), `${login}@127.0.0.1`, command], options);
  }

  spawnSsh(identity: string, login: string, flags: string[], command?: string): ChildProcess {
    return spawn('ssh', [...flags, ...this.options(identity), `${login}@127.0.0.1`, ...(command === undefined ? [] : [command])], {
      stdio: 'pipe',
    });
  }

  scp(identity: string, from: string, to: string, flags: string[] = []): Promise<RunResult> {
    return run('scp', [...this.options(identity, this.port, '-P'), '-q', ...flags, from, to], { timeoutMs: 170_000 });
  }

  sftp(identity: string, login: string, batch: string): Promise<RunResult> {
    return run('sftp', [...this.options(identity, this.port, '-P'), '-b', '-', `${login}@127.0.0.1`], { input: batch, timeoutMs: 170_000 });
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

export function run(
  command: string,
  args: string[],
  options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'pipe', env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A command that exits without reading its input must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
