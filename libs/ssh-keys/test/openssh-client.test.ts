import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenSshClient, PTY_DRIVER, run, startTestSshd, testSshdUnavailable, type TestSshd } from '../src/testing';

// The shared OpenSSH client helper against a real sshd: what the gateway's SSH tests and the e2e suite rely on.
describe.skipIf(testSshdUnavailable())('OpenSshClient against a real sshd', () => {
  let sshd: TestSshd;
  let client: OpenSshClient;
  let key = '';

  beforeAll(async () => {
    sshd = await startTestSshd('openssh-client');
    client = await OpenSshClient.create(sshd.port, [sshd.hostKey]);
    key = await client.identity('platform', sshd.platformKey);
  });

  afterAll(async () => {
    await client?.cleanup();
    await sshd?.stop();
  });

  it('runs a command: stdout, stderr, exit status and stdin', async () => {
    const result = await client.ssh(key, 'root', 'hostname; cat; echo to-stderr >&2; exit 7', { input: 'typed' });
    expect(result.stdout).toBe('openssh-client\ntyped');
    expect(result.stderr).toContain('to-stderr');
    expect(result.code).toBe(7);
  });

  it('copies with scp and sftp', async () => {
    await writeFile(join(client.dir, 'up.txt'), 'payload');
    expect((await client.scp(key, join(client.dir, 'up.txt'), 'root@127.0.0.1:/root/via-scp.txt')).code).toBe(0);
    const batch = `get /root/via-scp.txt ${join(client.dir, 'down.txt')}\n`;
    expect((await client.sftp(key, 'root', batch)).code).toBe(0);
    expect(await readFile(join(client.dir, 'down.txt'), 'utf8')).toBe('payload');
  });

  it('spawns a long-running ssh the caller ends', async () => {
    const child = client.spawnSsh(key, 'root', [], 'echo up; cat');
    const first = await new Promise<string>((resolve) => child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    expect(first).toBe('up\n');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    expect(await exited).toBe(0);
  });

  it('drives a PTY: the terminal size, then the resized one', async () => {
    const result = await run('python3', [PTY_DRIVER, 'ssh', ...client.sshArgs(key, 'root', ['-tt'])], { timeoutMs: 60_000 });
    expect(result.stdout).toContain('SIZE1 24 80');
    expect(result.stdout).toContain('SIZE2 50 132');
    expect(result.stdout).toMatch(/EXIT=7/);
  });

  it('without known host keys trusts the first one, then refuses another', async () => {
    const fresh = await OpenSshClient.create(sshd.port);
    try {
      const identity = await fresh.identity('platform', sshd.platformKey);
      expect((await fresh.ssh(identity, 'root', 'true')).code).toBe(0);
      const impostor = await startTestSshd('impostor');
      try {
        await impostor.authorize([sshd.platformKey.publicKey]);
        const refused = await fresh.ssh(identity, 'root', 'true', { port: impostor.port });
        expect(refused.code).toBe(255);
        expect(refused.stderr).toMatch(/Host key verification failed|No ED25519 host key is known/);
      } finally {
        await impostor.stop();
      }
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('run', () => {
  it('rejects a program that outlives its time, and one that cannot start', async () => {
    await expect(run('sleep', ['5'], { timeoutMs: 50 })).rejects.toThrow(/timed out/);
    await expect(run('/nonexistent/program', [])).rejects.toThrow(/ENOENT/);
  });
});
