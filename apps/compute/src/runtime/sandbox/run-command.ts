import { execFile } from 'node:child_process';

/** A command that failed: what ran, how it ended and what it said, so a log line names the cause. */
export class CommandError extends Error {
  constructor(
    readonly command: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command.join(' ')} exited with ${exitCode ?? 'a signal'}: ${stderr.trim().slice(0, 500)}`);
    this.name = 'CommandError';
  }
}

/** Runs a program with its arguments as an array (never through a shell) and returns its stdout. */
export function runCommand(file: string, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = typeof error.code === 'number' ? error.code : null;
      reject(new CommandError([file, ...args], code, stderr || error.message));
    });
  });
}
