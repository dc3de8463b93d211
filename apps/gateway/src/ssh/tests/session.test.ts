import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, startSshHarness, type SshHarness } from './harness';
import { PTY_DRIVER, run } from '@edd/ssh-keys/testing';

describe('SSH plane: sessions through OpenSSH', () => {
  let h: SshHarness;
  const alice = ed25519();
  let aliceKey = '';

  beforeAll(async () => {
    h = await startSshHarness();
    await h.addContainer('web00001', [alice]);
    aliceKey = await h.client.identity('alice', alice);
  });
  afterAll(async () => h?.close());

  it('runs a command in the container: hostname, stdout, stderr and the exit status', async () => {
    const result = await h.client.ssh(aliceKey, 'web00001', 'hostname; echo to-stderr >&2; exit 3');
    expect(result.stdout.trim()).toBe('web00001');
    expect(result.stderr).toContain('to-stderr');
    expect(result.code).toBe(3);
  });

  it('accepts <user>.<containerId> and asks compute for that login', async () => {
    const result = await h.client.ssh(aliceKey, 'root.web00001', 'id -un');
    expect(result.stdout.trim()).toBe('root');
    expect(h.compute.requests.at(-1)).toMatchObject({ containerId: 'web00001', login: 'root' });
  });

  it('passes stdin through and EOF ends it', async () => {
    const result = await h.client.ssh(aliceKey, 'web00001', 'wc -c', { input: 'x'.repeat(100_000) });
    expect(result.stdout.trim()).toBe('100000');
  });

  it('relays a signal exit as exit-signal', async () => {
    const result = await h.client.ssh(aliceKey, 'web00001', 'kill -TERM $$', { flags: ['-v'] });
    // OpenSSH exits 255 on a remote signal; -v shows which request said so.
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/rtype exit-signal/);
  });

  it('gives an interactive shell a PTY of the client terminal size and follows a resize', async () => {
    const args = h.client.sshArgs(aliceKey, 'web00001', ['-tt']);
    const result = await run('python3', [PTY_DRIVER, 'ssh', ...args], { timeoutMs: 60_000 });
    expect(result.stdout).toContain('SIZE1 24 80');
    expect(result.stdout).toContain('SIZE2 50 132');
    expect(result.stdout).toMatch(/EXIT=7/);
  });

  it('counts logins and publishes nothing without a bus', () => {
    expect(h.metrics.render()).toMatch(/gateway_ssh_logins_total [1-9]/);
  });
});
