import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test helper (`@edd/ssh-keys/testing`): Debian's OpenSSH clients, shared by the gateway's SSH tests and the e2e suite.

/** Runs a command (`ssh -tt ...`) on a real terminal, asks for its size, resizes it, asks again (see the script). */
export const PTY_DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Debian's OpenSSH clients (`ssh`, `scp`, `sftp`) pointed at an SSH port on loopback: a private temporary directory
 * holding the identities (mode 600) and a known_hosts. Given host keys, known_hosts holds exactly those; without, the
 * first connection fills it (accept-new). Every later command checks it strictly, so a key that changes fails it.
 */
export class OpenSshClient {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly knownHosts: string,
  ) {}

  static async create(port: number, hostKeys: { publicKey: string }[] = []): Promise<OpenSshClient> {
    const dir = await mkdtemp(join(tmpdir(), 'edd-openssh-'));
    const knownHosts = join(dir, 'known_hosts');
    if (hostKeys.length > 0) await writeFile(knownHosts, hostKeys.map((key) => `[127.0.0.1]:${port} ${key.publicKey}\n`).join(''));
    return new OpenSshClient(dir, port, knownHosts);
  }

  /** Writes a private key into the client's directory (mode 600, as ssh insists) and answers its path. */
  async identity(name: string, key: { privateKey: string }): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, key.privateKey, { mode: 0o600 });
    return path;
  }

  /** Common options: no user config, no agent, one identity, strict host key checking, never a prompt. */
  options(identity: string, port = this.port, portFlag = '-p'): string[] {
    return [
      ...['-F', '/dev/null', '-i', identity, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none'],
      ...['-o', `UserKnownHostsFile=${this.knownHosts}`, '-o', `StrictHostKeyChecking=${this.hostKeyPolicy()}`],
      ...['-o', 'BatchMode=yes'],
      ...['-o', 'ConnectTimeout=10', portFlag, String(port)],
    ];
  }

  ssh(
    identity: string,
    login: string,
    command: string,
    options: { port?: number; flags?: string[]; input?: string; timeoutMs?: number } = {},
  ): Promise<RunResult> {
    // Flags first: for a repeated -o, ssh keeps the first value.
    return run('ssh', [...this.sshArgs(identity, login, options.flags ?? [], options.port), command], options);
  }

  /** A long-running `ssh` (port forwards, many sessions at once): the caller kills it. */
  spawnSsh(identity: string, login: string, flags: string[], command?: string): ChildProcess {
    return spawn('ssh', [...this.sshArgs(identity, login, flags), ...(command === undefined ? [] : [command])], { stdio: 'pipe' });
  }

  /** The whole `ssh` argument list but the command, e.g. for PTY_DRIVER, which runs it on a terminal of its own. */
  sshArgs(identity: string, login: string, flags: string[], port = this.port): string[] {
    return [...flags, ...this.options(identity, port), `${login}@127.0.0.1`];
  }

  scp(identity: string, from: string, to: string, flags: string[] = []): Promise<RunResult> {
    return run('scp', [...this.options(identity, this.port, '-P'), '-q', ...flags, from, to], { timeoutMs: 170_000 });
  }

  /** `sftp -b -`: the batch on stdin; any failing command fails the whole run. */
  sftp(identity: string, login: string, batch: string): Promise<RunResult> {
    return run('sftp', [...this.options(identity, this.port, '-P'), '-b', '-', `${login}@127.0.0.1`], { input: batch, timeoutMs: 170_000 });
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private hostKeyPolicy(): 'yes' | 'accept-new' {
    return existsSync(this.knownHosts) && statSync(this.knownHosts).size > 0 ? 'yes' : 'accept-new';
  }
}

/** Runs a program to its end (killed after `timeoutMs`), with `input` on stdin. */
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
