import { connect, type Socket } from 'node:net';
import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, startSshHarness, type SshHarness } from './harness';
import type { KeyPair } from '@edd/ssh-keys/testing';

/** Runs `ssh <login> <command>` and resolves once its stdout shows `marker` (the session is really open). */
function openSession(h: SshHarness, identity: string, login: string, command: string, marker = 'started') {
  const child = h.client.spawnSsh(identity, login, [], command);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const started = waitFor(() => stdout.includes(marker), 30_000, 50);
  return { child, started, exited, output: () => ({ stdout, stderr }) };
}

function rawConnection(port: number): { socket: Socket; closed: Promise<number> } {
  const opened = Date.now();
  const socket = connect(port, '127.0.0.1', () => socket.write('SSH-2.0-slowpoke\r\n'));
  socket.on('error', () => undefined);
  // Read (and drop) the server's banner: an unread socket never reports its close.
  socket.resume();
  return { socket, closed: new Promise((resolve) => socket.once('close', () => resolve(Date.now() - opened))) };
}

describe('SSH plane: faults', () => {
  let h: SshHarness;
  const owner = ed25519();
  let key = '';

  beforeAll(async () => {
    h = await startSshHarness();
    await h.addContainer('fault001', [owner]);
    key = await h.client.identity('owner', owner);
  });
  afterAll(async () => h?.close());

  it('closes the client session with a message when the container goes away', async () => {
    const sshd = h.compute.containers.get('fault001')!.sshd;
    const session = openSession(h, key, 'fault001', 'echo started; sleep 60');
    await session.started;
    await sshd.kill();
    const code = await session.exited;
    expect(code).not.toBe(0);
    expect(session.output().stderr).toContain('the connection to container fault001 was lost');
  }, 60_000);

  it('drains on shutdown: new logins refused at once, open sessions ended with a message after the grace period', async () => {
    await h.addContainer('drain001', [owner]);
    const session = openSession(h, key, 'drain001', 'echo started; sleep 60');
    await session.started;
    const drained = h.plane.drain(3_000);
    const late = await h.client.ssh(key, 'drain001', 'echo in');
    expect(late.stdout).toBe('');
    expect(h.refusals().some((line) => line['reason'] === 'draining')).toBe(true);
    // Still running during the grace period.
    expect(session.child.exitCode).toBeNull();
    await drained;
    await session.exited;
    expect(session.output().stderr).toContain('the gateway is restarting');
  }, 60_000);
});

describe('SSH plane: limits', () => {
  let h: SshHarness;
  const owner: KeyPair = ed25519();

  beforeAll(async () => {
    h = await startSshHarness({ limits: { maxUnauthenticatedPerAddress: 2, authTimeoutMs: 1_500, maxChannels: 2 } });
    await h.addContainer('limit001', [owner]);
  });
  afterAll(async () => h?.close());

  it('closes a connection that has not logged in by the deadline', async () => {
    const { closed } = rawConnection(h.edge.edge.ports.ssh);
    const after = await closed;
    expect(after).toBeGreaterThanOrEqual(1_000);
    expect(after).toBeLessThan(10_000);
    expect(h.refusals().some((line) => line['reason'] === 'auth_timeout')).toBe(true);
  }, 30_000);

  it('refuses a third unauthenticated connection from one address', async () => {
    const held = [rawConnection(h.edge.edge.ports.ssh), rawConnection(h.edge.edge.ports.ssh)];
    await waitFor(() => h.plane.openConnections === 2, 5_000);
    const third = rawConnection(h.edge.edge.ports.ssh);
    expect(await third.closed).toBeLessThan(1_000);
    expect(h.refusals().some((line) => line['reason'] === 'too_many_unauthenticated')).toBe(true);
    for (const { socket } of held) socket.destroy();
  }, 30_000);

  it('refuses channels beyond the per-connection maximum', async () => {
    const client = await h.connect('limit001', owner);
    try {
      const open = () => new Promise<boolean>((resolve) => client.exec('sleep 5', (error) => resolve(!error)));
      const results = await Promise.all([open(), open(), open()]);
      expect(results.filter(Boolean)).toHaveLength(2);
    } finally {
      client.end();
    }
  }, 30_000);
});

// Its own gateway: the 1.5 s login deadline above, and an idle timer shorter than a loaded machine takes to show a
// command's first output (it runs from the login), made this test fail while the gateway worked.
describe('SSH plane: idle timeout', () => {
  let h: SshHarness;
  const owner: KeyPair = ed25519();

  beforeAll(async () => {
    h = await startSshHarness({ limits: { idleTimeoutMs: 6_000 } });
    await h.addContainer('idle0001', [owner]);
  });
  afterAll(async () => h?.close());

  it('ends a session that moved no data for the idle timeout, with a message', async () => {
    const identity = await h.client.identity('idle', owner);
    const session = openSession(h, identity, 'idle0001', 'echo started; sleep 60');
    await session.started;
    await session.exited;
    expect(session.output().stderr).toContain('idle timeout');
  }, 60_000);
});
