import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from './fake-compute';
import { ed25519, startSshHarness, type SshHarness } from './harness';
import { run } from '@edd/ssh-keys/testing';

describe('SSH plane: agent forwarding (ssh -A with a real ssh-agent)', () => {
  let h: SshHarness;
  let agent: ChildProcess;
  let socket = '';
  let key = '';
  // The key only the user's agent holds: the container can use it, never see it.
  const agentKey = ed25519();
  // `ssh -A` forwards the agent it talks to itself (IdentityAgent; the harness's default is none). IdentitiesOnly
  // still logs in with the owner's key only.
  const withAgent = () => ['-A', '-o', `IdentityAgent=${socket}`];

  beforeAll(async () => {
    h = await startSshHarness();
    const owner = ed25519();
    await h.addContainer('agent001', [owner]);
    await h.addContainer('noagent1', [owner], {}, ['AllowAgentForwarding no']);
    key = await h.client.identity('owner', owner);
    socket = join(h.client.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    await waitFor(() => existsSync(socket), 10_000, 20);
    // ssh-add finds the agent through SSH_AUTH_SOCK only.
    const added = await run('ssh-add', ['-q', await h.client.identity('agent-key', agentKey)], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
    });
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(async () => {
    agent?.kill();
    await h?.close();
  });

  it('relays the agent when the client asks: ssh-add -l inside the container lists the key held on the client', async () => {
    const result = await h.client.ssh(key, 'agent001', 'ssh-add -l', { flags: withAgent() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(keyFingerprint(agentKey.publicKey));
  });

  it('offers no agent to a session whose client did not ask', async () => {
    const result = await h.client.ssh(key, 'agent001', 'ssh-add -l; echo "exit=$?"');
    expect(result.stdout).not.toContain(keyFingerprint(agentKey.publicKey));
    // ssh-add: 2 = no agent to talk to.
    expect(result.stdout).toContain('exit=2');
  });

  it('still opens the session when the container forbids agent forwarding', async () => {
    const result = await h.client.ssh(key, 'noagent1', 'echo in; ssh-add -l; echo "exit=$?"', {
      flags: withAgent(),
    });
    expect(result.stdout).toContain('in\n');
    expect(result.stdout).toContain('exit=2');
  });
});
