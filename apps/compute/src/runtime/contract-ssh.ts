import { request } from 'node:http';
import { pinnedHostVerifier } from '@edd/ssh-keys';
import ssh2 from 'ssh2';

/** Test support for the driver contract: one SSH command run the way the gateway and the web terminal connect. */
export interface SshTarget {
  address: string;
  /** The `ssh-ed25519 AAAA...` line the server must present: anything else is refused (no trust on first use). */
  hostPublicKey: string;
  privateKey: string;
}

export interface SshResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function sshExec(target: SshTarget, command: string, timeoutMs = 10_000): Promise<SshResult> {
  const pinned = pinnedHostVerifier(target.hostPublicKey);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const timer = setTimeout(() => {
      client.end();
      reject(new Error(`ssh ${target.address}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      client.end();
      reject(error);
    };
    client.once('error', fail);
    client.once('ready', () => {
      client.exec(command, (error, stream) => {
        if (error) return fail(error);
        let stdout = '';
        let stderr = '';
        stream.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
        stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        stream.once('close', (code: number | null) => {
          clearTimeout(timer);
          client.end();
          resolve({ stdout, stderr, code });
        });
      });
    });
    client.connect({
      host: target.address,
      port: 22,
      username: 'root',
      privateKey: target.privateKey,
      readyTimeout: timeoutMs,
      hostVerifier: pinned,
    });
  });
}

/** Retries `attempt` until it returns without throwing, or rethrows its last error at the deadline. */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

export function httpGet(address: string, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('timeout', () => req.destroy(new Error('http timeout')));
    req.once('error', reject);
    req.end();
  });
}
