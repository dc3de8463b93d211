// Integration tests against the real NATS JetStream (NATS_URL or nats://127.0.0.1:4222).
// The streams are shared with other developers' tests: random ids in subjects, unique durable names,
// handlers ignore events that are not theirs, and only our own consumers are deleted.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../src/bus-api';
import { connectEventBus } from '../src/bus';
import { EventValidationError } from '@edd/event-contracts';
import type { ReceivedEvent } from '@edd/event-contracts';
import { streamDefinitions } from '../src/streams';
import { deleteDurable, memoryLogger, publishRaw, randomToken, samplePayload, testNatsUrl, uniqueDurable, waitFor } from '../src/testing';

const logger = memoryLogger();
const durables: string[] = [];
const buses: EventBus[] = [];
let bus: EventBus;

async function newBus(name: string): Promise<EventBus> {
  const b = await connectEventBus({ servers: testNatsUrl, name, logger, retryDelayMs: 50 });
  buses.push(b);
  return b;
}

function durable(): string {
  const name = uniqueDurable('events_test');
  durables.push(name);
  return name;
}

beforeAll(async () => {
  bus = await newBus('events-test');
  await bus.ensureStreams();
});

afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  for (const name of durables) await deleteDurable(name);
});

describe('event bus', () => {
  it('is connected and answers ping', async () => {
    expect(bus.isConnected()).toBe(true);
    await bus.ping();
  });

  it('ensureStreams is idempotent and leaves the streams as defined', async () => {
    await bus.ensureStreams();
    await bus.ensureStreams();
    const nc = await connect({ servers: testNatsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      for (const def of streamDefinitions) {
        const { config } = await jsm.streams.info(def.name);
        expect(config).toMatchObject({ subjects: def.subjects, retention: 'limits', storage: 'file' });
        const days = def.name === 'DEADLETTER' ? 30 : def.name === 'LOGTAIL' ? 1 : 7;
        expect(config.max_age).toBe(days * 24 * 3600 * 1e9);
        expect(config.duplicate_window).toBe(120 * 1e9);
        // Only the log service's live tier is bounded by count and size as well.
        expect([config.max_msgs, config.max_bytes]).toEqual(def.name === 'LOGTAIL' ? [200_000, 2 * 1024 ** 3] : [-1, -1]);
      }
    } finally {
      await nc.close();
    }
  });

  it('rejects invalid payloads and ids before publishing', async () => {
    const bad = { userId: 'u1', username: 'a', displayName: 'A', isAdmin: 'yes' };
    await expect(bus.publish('auth.user.created', bad as never)).rejects.toThrow(EventValidationError);
    await expect(bus.publish('auth.user.created', bad as never)).rejects.toThrow(/isAdmin/u);
    const badId = samplePayload('auth.token.revoked', 'a.b');
    await expect(bus.publish('auth.token.revoked', badId)).rejects.toThrow(/tokenId/u);
    await expect(bus.publish('notify', samplePayload('notify', 'u1'), { eventId: 'has space' })).rejects.toThrow(/eventId/u);
  });

  it('round-trips publish -> consume with metadata, across streams', async () => {
    const id = randomToken();
    const seen: ReceivedEvent<'auth.token.revoked' | 'notify'>[] = [];
    const consumer = await bus.consume({
      durable: durable(),
      types: ['auth.token.revoked', 'notify'],
      from: 'new',
      handler: async (event) => {
        if (event.subject.includes(id)) seen.push(event);
      },
    });
    const revoked = await bus.publish('auth.token.revoked', { tokenId: id, userId: 'u1' });
    const notified = await bus.publish('notify', samplePayload('notify', id));
    expect(revoked).toMatchObject({ duplicate: false, subject: `auth.token.${id}.revoked`, stream: 'AUTH' });
    expect(revoked.seq).toBeGreaterThan(0);
    await waitFor(() => seen.length === 2);
    await consumer.stop();
    const byType = Object.fromEntries(seen.map((e) => [e.type, e]));
    expect(byType['auth.token.revoked']).toMatchObject({ data: { tokenId: id, userId: 'u1' }, meta: { eventId: revoked.eventId } });
    expect(byType['notify']?.meta).toMatchObject({ eventId: notified.eventId, source: 'events-test', version: 1 });
    expect(new Date(byType['notify']?.meta.timestamp ?? '').getTime()).not.toBeNaN();
  });

  it('redelivers after a handler throws; the second delivery succeeds', async () => {
    const id = randomToken();
    const attempts: number[] = [];
    let handled = false;
    const consumer = await bus.consume({
      durable: durable(),
      types: ['compute.container.started'],
      from: 'new',
      handler: async (event) => {
        if (event.data.containerId !== id) return;
        attempts.push(attempts.length + 1);
        if (attempts.length === 1) throw new Error('transient failure');
        handled = true;
      },
    });
    await bus.publish('compute.container.started', samplePayload('compute.container.started', id));
    await waitFor(() => handled);
    await consumer.stop();
    expect(attempts).toEqual([1, 2]);
    expect(
      logger.entries.some((e) => e.msg.includes('will be redelivered') && e.fields?.['subject'] === `compute.container.${id}.started`),
    ).toBe(true);
  });

  it('gives up after 5 deliveries and keeps consuming', async () => {
    const failing = randomToken();
    const next = randomToken();
    let failures = 0;
    let nextSeen = false;
    const consumer = await bus.consume({
      durable: durable(),
      types: ['compute.sshkey.added'],
      from: 'new',
      handler: async (event) => {
        if (event.data.userId === failing) {
          failures++;
          throw new Error('permanent failure');
        }
        if (event.data.userId === next) nextSeen = true;
      },
    });
    await bus.publish('compute.sshkey.added', samplePayload('compute.sshkey.added', failing));
    await waitFor(() => failures === 5);
    await bus.publish('compute.sshkey.added', samplePayload('compute.sshkey.added', next));
    await waitFor(() => nextSeen);
    await consumer.stop();
    expect(failures).toBe(5);
    expect(logger.entries.some((e) => e.level === 'error' && e.msg.includes('last delivery') && e.fields?.['delivery'] === 5)).toBe(true);
  });

  it('de-duplicates by event id: second publish is a duplicate and the handler runs once', async () => {
    const id = randomToken();
    const marker = randomToken();
    const eventIds: string[] = [];
    let markerSeen = false;
    const consumer = await bus.consume({
      durable: durable(),
      types: ['auth.session.invalidated'],
      from: 'new',
      handler: async (event) => {
        if (event.data.sessionId === id) eventIds.push(event.meta.eventId);
        if (event.data.sessionId === marker) markerSeen = true;
      },
    });
    const data = samplePayload('auth.session.invalidated', id);
    const eventId = randomToken('evt');
    const first = await bus.publish('auth.session.invalidated', data, { eventId });
    const second = await bus.publish('auth.session.invalidated', data, { eventId });
    expect(first.duplicate).toBe(false);
    expect(second).toMatchObject({ duplicate: true, seq: first.seq });
    // The consumer handles messages in stream order: once the later marker is seen, a duplicate would have been too.
    await bus.publish('auth.session.invalidated', samplePayload('auth.session.invalidated', marker));
    await waitFor(() => markerSeen);
    await consumer.stop();
    expect(eventIds).toEqual([eventId]);
  });

  it('terminates invalid payloads, logs them, and keeps consuming', async () => {
    const source = randomToken('svc');
    const received: string[] = [];
    const consumer = await bus.consume({
      durable: durable(),
      types: ['log.error'],
      from: 'new',
      handler: async (event) => {
        if (event.data.source === source) received.push(event.data.message);
      },
    });
    const subject = `log.error.${source}`;
    await publishRaw(subject, 'this is not json');
    await publishRaw(subject, JSON.stringify({ meta: { eventId: 'x' }, data: {} }));
    await bus.publish('log.error', { ...samplePayload('log.error', source), message: 'valid one' });
    await waitFor(() => received.length === 1);
    await consumer.stop();
    expect(received).toEqual(['valid one']);
    const rejected = logger.entries.filter((e) => e.msg === 'invalid event terminated' && e.fields?.['subject'] === subject);
    expect(rejected.map((e) => e.fields?.['reason'])).toEqual([expect.stringMatching(/JSON/u), expect.stringMatching(/envelope/u)]);
  });

  it('shares a durable between replicas: each event is handled once in total', async () => {
    const name = durable();
    const other = await newBus('events-test-replica');
    const id = randomToken();
    const handledBy: Array<[string, number]> = [];
    const make = (replica: string) => async (event: ReceivedEvent<'cluster.pods'>) => {
      const pod = event.data.pods[0];
      if (pod?.namespace === id) handledBy.push([replica, pod.restarts]);
    };
    const a = await bus.consume({ durable: name, types: ['cluster.pods'], from: 'new', handler: make('a') });
    const b = await other.consume({ durable: name, types: ['cluster.pods'], from: 'new', handler: make('b') });
    for (let i = 0; i < 10; i++) {
      const payload = samplePayload('cluster.pods', id);
      await bus.publish('cluster.pods', { ...payload, pods: [{ name: 'p', namespace: id, node: 'n', phase: 'Running', restarts: i }] });
    }
    await waitFor(() => handledBy.length >= 10);
    await Promise.all([a.stop(), b.stop()]);
    expect(handledBy.map(([, i]) => i).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('subscribe: every subscriber sees every event from now on', async () => {
    const other = await newBus('events-test-subscriber');
    const id = randomToken();
    const before = await bus.publish('auth.session.invalidated', samplePayload('auth.session.invalidated', id));
    const seenA: string[] = [];
    const seenB: string[] = [];
    const types = ['auth.session.invalidated', 'auth.token.revoked', 'compute.container.deleted'] as const;
    const subA = await bus.subscribe({ types, handler: (e) => void (e.subject.includes(id) && seenA.push(e.meta.eventId)) });
    const subB = await other.subscribe({
      types,
      handler: (e) => {
        if (!e.subject.includes(id)) return;
        seenB.push(e.meta.eventId);
        throw new Error('a throwing subscriber must not stop the subscription');
      },
    });
    const published = [
      await bus.publish('auth.token.revoked', { tokenId: id, userId: 'u1' }),
      await bus.publish('compute.container.deleted', samplePayload('compute.container.deleted', id)),
      await bus.publish('auth.session.invalidated', samplePayload('auth.session.invalidated', id)),
    ].map((p) => p.eventId);
    const sawAll = (seen: string[]) => published.every((eventId) => seen.includes(eventId));
    await waitFor(() => sawAll(seenA) && sawAll(seenB));
    await Promise.all([subA.stop(), subB.stop()]);
    // `before` precedes the last AUTH event in stream order, so it would have arrived by now if delivered.
    expect(seenA).not.toContain(before.eventId);
    expect(seenB).not.toContain(before.eventId);
    expect(seenA).toHaveLength(3);
    expect(seenB).toHaveLength(3);
    expect(logger.entries.some((e) => e.msg === 'event subscriber failed')).toBe(true);
  });
});
