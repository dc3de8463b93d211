import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@edd/events/testing';
import { ed25519, startSshHarness, type SshHarness } from './harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('SSH plane: who may log in', () => {
  let h: SshHarness;
  const alice = ed25519();
  const carol = ed25519();
  const stranger = ed25519();
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    h = await startSshHarness();
    await h.addContainer('alice001', [alice]);
    await h.addContainer('carol001', [carol], { ownerId: 'owner-2' });
    await h.addContainer('stopped1', [alice], { running: false });
    await h.addContainer('nossh001', [alice], { sshEnabled: false });
    await h.addContainer('impostr1', [alice], { pinnedHostKey: ed25519().publicKey });
    keys['alice'] = await h.client.identity('alice', alice);
    keys['stranger'] = await h.client.identity('stranger', stranger);
  });
  afterAll(async () => h?.close());

  const refusedWith = async (key: string, login: string, reason: string) => {
    const before = h.refusals().length;
    const result = await h.client.ssh(keys[key]!, login, 'echo in');
    // The client learns nothing more than "no": the same failure whatever the reason.
    expect(result.code).toBe(255);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Permission denied (publickey)');
    const refusals = h.refusals().slice(before);
    expect(refusals.map((line) => line['reason'])).toContain(reason);
    expect(h.metrics.render()).toContain(`gateway_ssh_refusals_total{reason="${reason}"}`);
  };

  it('lets the owner in (the baseline the refusals below differ from)', async () => {
    expect((await h.client.ssh(keys['alice']!, 'alice001', 'echo in')).stdout.trim()).toBe('in');
  });

  it('refuses a key nobody registered', () => refusedWith('stranger', 'alice001', 'key_not_trusted'));
  it("refuses someone else's key on a container they do not own", () => refusedWith('alice', 'carol001', 'key_not_trusted'));
  it('refuses a stopped container', () => refusedWith('alice', 'stopped1', 'container_not_running'));
  it('refuses a container with SSH disabled', () => refusedWith('alice', 'nossh001', 'ssh_disabled'));
  it('refuses an unknown container', () => refusedWith('alice', 'nothere1', 'unknown_container'));
  it('refuses a login name that names no container, without asking compute', async () => {
    const asked = h.compute.requests.length;
    await refusedWith('alice', 'not-a-container-id', 'malformed_login');
    expect(h.compute.requests.length).toBe(asked);
  });
  it('refuses an upstream that presents a host key other than the pinned one', async () => {
    await refusedWith('alice', 'impostr1', 'upstream_host_key_mismatch');
    const line = h.refusals().find((entry) => entry['reason'] === 'upstream_host_key_mismatch');
    expect(line).toMatchObject({ containerId: 'impostr1' });
  });

  it('serves SSH the same way on an ingress port where SSH- is detected', async () => {
    const port = await freePort();
    h.edge.containers.set('alice001', port, { host: '127.0.0.1', port: 1, protocol: 'tcp' });
    await waitFor(() => h.edge.edge.ingressPorts().has(port), 5_000);
    const bound = h.edge.edge.ingressPorts().get(port)!;
    const result = await h.client.ssh(keys['alice']!, 'alice001', 'hostname', {
      port: bound,
      flags: ['-o', `HostKeyAlias=[127.0.0.1]:${h.client.port}`],
    });
    expect(result.stdout.trim()).toBe('alice001');
  });
});
