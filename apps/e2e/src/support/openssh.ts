import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Debian's OpenSSH clients (`ssh`, `scp`, `sftp`) pointed at the gateway's SSH port on loopback: a private temporary
 * directory holding the identities (mode 600) and a known_hosts that the first connection fills with the gateway's
 * host key (accept-new); every later command checks it strictly, so a key that changes fails it.
 */
export class OpenSshClient {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly knownHosts: string,
  ) {}

  static async create(port: number): Promise<OpenSshClient> {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-ssh-'));
    return new OpenSshClient(dir, port, join(dir, 'known_hosts'));
  }

  /** Writes a private key into the client's directory (mode 600, as ssh insists) and answers its path. */
  async identity(name: string, privateKey: string): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, privateKey, { mode: 0o600 });
    return path;
  }

  /** Common options: no user config, no agent, one identity, strict host key checking, never a prompt. */
  options(identity: string, portFlag = '-p'): string[] {
    return [
      ...['-F', '/dev/null', '-i', identity, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none'],
      ...['-o', `UserKnownHostsFile=${this.knownHosts}`, '-o', `StrictHostKeyChecking=${this.hostKeyPolicy()}`],
      ...['-o', 'BatchMode=yes'],
      ...['-o', 'ConnectTimeout=10', portFlag, String(this.port)],
    ];
  }

  ssh(identity: string, login: string, command: string, options: { flags?: string[]; input?: string; timeoutMs?: number } = {}) {
    // Flags first: for a repeated -o, ssh keeps the first value.
    return run('ssh', [...(options.flags ?? []), ...this.options(identity), `${login}@127.0.0.1`, command], options);
  }

  /** A long-running `ssh` (port forwards): the caller kills it. */
  spawnSsh(identity: string, login: string, flags: string[], command: string): ChildProcess {
    return spawn('ssh', [...flags, ...this.options(identity), `${login}@127.0.0.1`, command], { stdio: 'pipe' });
  }

  /** The whole `ssh` argument list, for a driver that runs it on a terminal of its own. */
  sshArgs(identity: string, login: string, flags: string[]): string[] {
    return [...flags, ...this.options(identity), `${login}@127.0.0.1`];
  }

  scp(identity: string, from: string, to: string, flags: string[] = []): Promise<RunResult> {
    return run('scp', [...this.options(identity, '-P'), '-q', ...flags, from, to], { timeoutMs: 120_000 });
  }

  /** `sftp -b -`: the batch on stdin; any failing command fails the whole run. */
  sftp(identity: string, login: string, batch: string): Promise<RunResult> {
    return run('sftp', [...this.options(identity, '-P'), '-b', '-', `${login}@127.0.0.1`], { input: batch, timeoutMs: 120_000 });
  }

  private hostKeyPolicy(): 'yes' | 'accept-new' {
    return existsSync(this.knownHosts) && statSync(this.knownHosts).size > 0 ? 'yes' : 'accept-new';
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs a program to its end (killed after `timeoutMs`), with `input` on stdin. */
export function run(command: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A command that exits without reading its input must not fail the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
