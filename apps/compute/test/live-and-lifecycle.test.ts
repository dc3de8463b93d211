import { generateEd25519Pair } from '@edd/ssh-keys';
import { randomUUID } from 'node:crypto';
import { connectTestBus, uniqueDurable, deleteDurable, waitFor } from '@edd/events/testing';
import type { EventBus, EventData } from '@edd/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { consumeUserDeletions } from '../src/services/user-deleted';
import { call, outboxEvents, startCompute, type Compute } from './harness';

let a: Compute;
let b: Compute;
beforeAll(async () => {
  a = await startCompute('live', { events: true });
  b = await a.replica();
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

function openSocket(base: string, token: string): Promise<{ messages: Array<{ type: string; data: unknown }>; socket: WebSocket }> {
  const messages: Array<{ type: string; data: unknown }> = [];
  const socket = new WebSocket(`${base.replace('http', 'ws')}/compute/ws`, { headers: { authorization: `Bearer ${token}` } });
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string; data: unknown }));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ messages, socket }));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

describe('WS /compute/ws across replicas', () => {
  it('sends the caller’s containers on connect, then status changes made through another replica', async () => {
    const alice = await a.user('alice');
    const first = await call<{ id: string }>(a.url, 'POST', '/compute/containers', { token: alice.token, json: { name: 'first' } });
    const { messages, socket } = await openSocket(b.url, alice.token);
    try {
      // The first container's own `running` may arrive before or after the list (the socket listens before it reads).
      await waitFor(() => messages.some((m) => m.type === 'containers'));
      expect(messages.find((m) => m.type === 'containers')).toMatchObject({
        type: 'containers',
        data: [{ id: first.body.id, name: 'first' }],
      });
      // A change through replica A reaches the socket on replica B (NATS, not an in-process hub).
      const second = await call<{ id: string }>(a.url, 'POST', '/compute/containers', { token: alice.token, json: { name: 'second' } });
      await waitFor(
        () => messages.some((m) => m.type === 'container_status' && (m.data as { container_id: string }).container_id === second.body.id),
        10_000,
      );
      await waitFor(
        () =>
          messages.some(
            (m) =>
              m.type === 'container_status' &&
              JSON.stringify(m.data).includes(`"status":"running"`) &&
              JSON.stringify(m.data).includes(second.body.id),
          ),
        10_000,
      );
      // Nobody else's changes.
      const bob = await a.user('bob');
      await call(a.url, 'POST', '/compute/containers', { token: bob.token, json: { name: 'bobs' } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const ids = messages.filter((m) => m.type === 'container_status').map((m) => (m.data as { container_id: string }).container_id);
      expect(ids.every((id) => id === first.body.id || id === second.body.id)).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('versions each container’s changes in commit order, and never sends a socket a change older than it has', async () => {
    const erin = await a.user('erin');
    const box = await call<{ id: string; version: number }>(a.url, 'POST', '/compute/containers', {
      token: erin.token,
      json: { name: 'box' },
    });
    await waitFor(
      async () => (await a.db.query(`SELECT 1 FROM containers WHERE id = $1 AND status = 'running'`, [box.body.id])).rowCount === 1,
    );
    const events = (await outboxEvents(a.db)).filter((e) => e.data['containerId'] === box.body.id);
    const versions = events.map((e) => e.data['version'] as number);
    // created, then started (and whatever the reconciler recorded between): 1, 2, ... in the order they committed.
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['compute.container.created', 'compute.container.started']));

    const { messages, socket } = await openSocket(b.url, erin.token);
    const bus = await connectTestBus('compute-versions-test');
    try {
      await waitFor(() => messages.some((m) => m.type === 'containers'));
      const listed = (messages.find((m) => m.type === 'containers')?.data as Array<{ id: string; version: number }>)[0];
      expect(listed).toMatchObject({ id: box.body.id, version: versions.at(-1) });
      // As a second relay or a redelivery would publish them: one late change, then a newer one.
      const last = events.at(-1)?.data as EventData<'compute.container.updated'>;
      await bus.publish('compute.container.stopped', { ...last, status: 'stopped', version: listed?.version ?? 0 });
      await bus.publish('compute.container.updated', { ...last, status: 'failed', version: (listed?.version ?? 0) + 1 });
      const statuses = () => messages.filter((m) => m.type === 'container_status').map((m) => (m.data as { status: string }).status);
      await waitFor(() => statuses().includes('failed'), 10_000);
      expect(statuses()).toEqual(['failed']);
      expect(messages.at(-1)?.data).toMatchObject({ container_id: box.body.id, version: (listed?.version ?? 0) + 1 });
    } finally {
      socket.close();
      await bus.close();
    }
  });

  it('refuses an upgrade without a credential, or a token without the compute scope', async () => {
    const carol = await a.user('carol');
    await expect(openSocket(b.url, 'nope')).rejects.toThrow(/401/);
    const storageOnly = carol.apiToken({ [`storage.${carol.userId}`]: ['read'] });
    await expect(openSocket(b.url, storageOnly)).rejects.toThrow(/403/);
  });
});

describe('auth.user.deleted', () => {
  let bus: EventBus;
  const durable = uniqueDurable('compute_user_deleted_test');
  beforeAll(async () => {
    bus = await connectTestBus('compute-user-deleted-test');
  });
  afterAll(async () => {
    await bus?.close();
    await deleteDurable(durable);
  });

  it('marks the user’s containers deleted (the reconciler removes them) and deletes their keys, once', async () => {
    const dora = await a.user('dora');
    const other = await a.user('other');
    await call(a.url, 'POST', '/compute/ssh-keys', {
      token: dora.token,
      json: { name: 'k', public_key: generateEd25519Pair().publicKey },
    });
    const mine = await call<{ id: string }>(a.url, 'POST', '/compute/containers', { token: dora.token, json: { name: 'doomed' } });
    const theirs = await call<{ id: string }>(a.url, 'POST', '/compute/containers', { token: other.token, json: { name: 'kept' } });
    await waitFor(
      async () => (await a.db.query(`SELECT 1 FROM containers WHERE id = $1 AND status = 'running'`, [mine.body.id])).rowCount === 1,
    );
    const consumer = await consumeUserDeletions({ db: a.db, logger: a.deps.logger, bus, kick: a.deps.kick }, durable);
    try {
      const eventId = randomUUID();
      await bus.publish('auth.user.deleted', { userId: dora.userId, username: dora.username }, { eventId });
      await waitFor(async () => (await a.db.query('SELECT 1 FROM containers WHERE id = $1', [mine.body.id])).rowCount === 0, 10_000);
      expect(a.runtime.removed).toContain(mine.body.id);
      expect((await a.db.query('SELECT 1 FROM ssh_keys WHERE owner_id = $1', [dora.userId])).rowCount).toBe(0);
      expect((await a.db.query('SELECT 1 FROM containers WHERE id = $1', [theirs.body.id])).rowCount).toBe(1);
      const deleted = (await outboxEvents(a.db)).filter(
        (e) => e.type === 'compute.container.deleted' && e.data['containerId'] === mine.body.id,
      );
      expect(deleted).toHaveLength(1);
      // Another deletion event for the same user (a replay, a second publisher) finds nothing left to do.
      await bus.publish('auth.user.deleted', { userId: dora.userId, username: dora.username });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const again = (await outboxEvents(a.db)).filter(
        (e) => e.type === 'compute.container.deleted' && e.data['containerId'] === mine.body.id,
      );
      expect(again).toHaveLength(1);
    } finally {
      await consumer.stop();
    }
  });
});
