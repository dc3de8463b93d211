import { randomBytes } from 'node:crypto';
import type { EventBus, ReceivedEvent } from '@edd/events';
import { connectTestBus, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint, type FakeContainer } from './fake-compute';
import { ed25519, startSshHarness, type SshHarness } from './harness';

const containerId = () => randomBytes(8).toString('hex').slice(0, 8);

describe('SSH plane: events (real NATS)', () => {
  let bus: EventBus;
  let h: SshHarness;
  const owner = ed25519();
  let key = '';
  const id = containerId();
  let container: FakeContainer;
  const audit: Array<ReceivedEvent<'gateway.ssh.session.opened' | 'gateway.ssh.session.closed'>> = [];

  beforeAll(async () => {
    bus = await connectTestBus('gateway-ssh-test');
    await bus.subscribe({
      types: ['gateway.ssh.session.opened', 'gateway.ssh.session.closed'],
      handler: (event) => void (event.data.containerId === id && audit.push(event)),
    });
    // A long cache period: only the event can make the gateway forget an answer within a second.
    h = await startSshHarness({ bus, cacheMs: 60_000 });
    container = await h.addContainer(id, [owner], { ownerId: `owner-${id}` });
    key = await h.client.identity('owner', owner);
  });
  afterAll(async () => {
    await h?.close();
    await bus?.close();
  });

  it('publishes gateway.ssh.session.opened and closed with user, container, address, key and byte counts', async () => {
    const result = await h.client.ssh(key, id, 'head -c 5000 /dev/zero', { input: 'y'.repeat(300) });
    expect(result.stdout.length).toBe(5000);
    await waitFor(() => audit.some((event) => event.type === 'gateway.ssh.session.closed'), 10_000);
    const opened = audit.find((event) => event.type === 'gateway.ssh.session.opened')!;
    const closed = audit.find((event) => event.type === 'gateway.ssh.session.closed')!;
    expect(opened.data).toMatchObject({
      userId: `owner-${id}`,
      containerId: id,
      clientAddress: '127.0.0.1',
      fingerprint: keyFingerprint(owner.publicKey),
    });
    expect(closed.data.sessionId).toBe(opened.data.sessionId);
    expect(closed.data.bytesOut).toBeGreaterThanOrEqual(5000);
    expect(closed.data.durationMs).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('forgets a cached answer within 1 s of compute.sshkey.removed, so the removed key is refused', async () => {
    const query = { containerId: id, login: 'root', fingerprint: keyFingerprint(owner.publicKey) };
    expect((await h.authorizer.authorize(query)).allow).toBe(true);
    container.trustedKeys = [];
    // Still cached: without the event the gateway would keep letting the key in (this is what the event fixes).
    expect((await h.authorizer.authorize(query)).allow).toBe(true);

    const published = Date.now();
    await bus.publish('compute.sshkey.removed', { userId: `owner-${id}`, keyId: 'k1', fingerprint: query.fingerprint });
    await waitFor(async () => !(await h.authorizer.authorize(query)).allow, 1_000, 20);
    expect(Date.now() - published).toBeLessThan(1_000);

    const result = await h.client.ssh(key, id, 'echo in');
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Permission denied (publickey)');
    expect(h.refusals().at(-1)).toMatchObject({ reason: 'key_not_trusted', containerId: id });
  }, 60_000);

  it('drops the answers of a container on compute.container.* events', async () => {
    container.trustedKeys = [owner.publicKey];
    const query = { containerId: id, login: 'root', fingerprint: keyFingerprint(owner.publicKey) };
    await bus.publish('compute.sshkey.added', { userId: `owner-${id}`, keyId: 'k1', fingerprint: query.fingerprint });
    await waitFor(async () => (await h.authorizer.authorize(query)).allow, 1_000, 20);
    container.running = false;
    await bus.publish('compute.container.stopped', {
      containerId: id,
      ownerId: `owner-${id}`,
      name: 'c',
      status: 'stopped',
      upstreamHost: '',
      ingress: [],
      sshEnabled: true,
    });
    await waitFor(async () => !(await h.authorizer.authorize(query)).allow, 1_000, 20);
  }, 60_000);
});
