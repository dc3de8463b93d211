// One contract, two engines: what a service may rely on from any EventBus, run against the real NATS bus
// and the in-memory one, so unit tests on the memory bus mean the same thing as integration tests.
import { EventValidationError } from '@edd/event-contracts';
import type { ReceivedEvent } from '@edd/event-contracts';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEventBus } from '../src/bus';
import type { EventBus } from '../src/bus-api';
import { MAX_DELIVER } from '../src/consume';
import type { DeadLetter } from '../src/dead-letters';
import { createMemoryBus } from '../src/memory-bus';
import { deleteDurable, memoryLogger, randomToken, samplePayload, testNatsUrl, uniqueDurable, waitFor } from '../src/testing';

interface Engine {
  bus: EventBus;
  deadLetters: DeadLetter[];
}

type EngineFactory = (name: string) => Promise<Engine>;

const engines: Array<[string, EngineFactory]> = [
  [
    'NATS bus',
    async (name) => {
      const deadLetters: DeadLetter[] = [];
      const bus = await connectEventBus({
        servers: testNatsUrl,
        name,
        logger: memoryLogger(),
        retryDelayMs: 20,
        metricsRegistry: new Registry(),
        onDeadLetter: (letter) => deadLetters.push(letter),
      });
      await bus.ensureStreams();
      return { bus, deadLetters };
    },
  ],
  [
    'memory bus',
    async (name) => {
      const deadLetters: DeadLetter[] = [];
      const bus = createMemoryBus({ name, logger: memoryLogger(), onDeadLetter: (letter) => deadLetters.push(letter) });
      return { bus, deadLetters };
    },
  ],
];

const durables: string[] = [];
afterAll(async () => {
  for (const name of durables) await deleteDurable(name);
});

describe.each(engines)('EventBus contract: %s', (_engine, factory) => {
  let engine: Engine;
  const durable = () => {
    const name = uniqueDurable('contract');
    durables.push(name);
    return name;
  };
  const setUp = async () => (engine ??= await factory('contract-test'));

  afterAll(async () => {
    await engine?.bus.close();
  });

  it('validates before publishing', async () => {
    const { bus } = await setUp();
    const bad = { ...samplePayload('storage.namespace.created', 'u1'), visibility: 'secret' };
    await expect(bus.publish('storage.namespace.created', bad as never)).rejects.toThrow(EventValidationError);
    await expect(bus.publish('storage.namespace.created', samplePayload('storage.namespace.created', 'a.b'))).rejects.toThrow(/ownerId/u);
    await expect(bus.publish('notify', samplePayload('notify', 'u1'), { eventId: 'has space' })).rejects.toThrow(/eventId/u);
  });

  it('delivers a published event to a durable consumer with its meta', async () => {
    const { bus } = await setUp();
    const ownerId = randomToken();
    const seen: ReceivedEvent<'storage.namespace.created'>[] = [];
    const consumer = await bus.consume({
      durable: durable(),
      types: ['storage.namespace.created'],
      from: 'new',
      handler: (event) => void (event.data.ownerId === ownerId && seen.push(event)),
    });
    const published = await bus.publish('storage.namespace.created', samplePayload('storage.namespace.created', ownerId));
    expect(published).toMatchObject({ duplicate: false, subject: `storage.namespace.${ownerId}.created`, stream: 'STORAGE' });
    await waitFor(() => seen.length === 1);
    await consumer.stop();
    expect(seen[0]).toMatchObject({
      type: 'storage.namespace.created',
      subject: published.subject,
      meta: { eventId: published.eventId, source: 'contract-test', version: 1 },
      data: samplePayload('storage.namespace.created', ownerId),
    });
  });

  it('drops a duplicate event id: the handler runs once', async () => {
    const { bus } = await setUp();
    const ownerId = randomToken();
    const marker = randomToken();
    const handled: string[] = [];
    const consumer = await bus.consume({
      durable: durable(),
      types: ['storage.namespace.updated'],
      from: 'new',
      handler: (event) => void handled.push(event.data.ownerId),
    });
    const eventId = randomToken('evt');
    const first = await bus.publish('storage.namespace.updated', samplePayload('storage.namespace.updated', ownerId), { eventId });
    const again = await bus.publish('storage.namespace.updated', samplePayload('storage.namespace.updated', ownerId), { eventId });
    expect(again).toMatchObject({ duplicate: true, seq: first.seq, eventId });
    await bus.publish('storage.namespace.updated', samplePayload('storage.namespace.updated', marker));
    await waitFor(() => handled.includes(marker)); // delivered in order: a duplicate would have come first
    await consumer.stop();
    expect(handled.filter((id) => id === ownerId)).toHaveLength(1);
  });

  it('redelivers after a failure, and dead-letters after the last delivery', async () => {
    const { bus, deadLetters } = await setUp();
    const [flaky, broken] = [randomToken(), randomToken()];
    const attempts = new Map<string, number>();
    const done: string[] = [];
    const name = durable();
    const consumer = await bus.consume({
      durable: name,
      types: ['storage.file.uploaded'],
      from: 'new',
      handler: (event) => {
        const { ownerId } = event.data;
        if (ownerId !== flaky && ownerId !== broken) return;
        attempts.set(ownerId, (attempts.get(ownerId) ?? 0) + 1);
        if (ownerId === broken || attempts.get(ownerId) === 1) throw new Error(`failing ${ownerId}`);
        done.push(ownerId);
      },
    });
    const lost = await bus.publish('storage.file.uploaded', samplePayload('storage.file.uploaded', broken));
    await bus.publish('storage.file.uploaded', samplePayload('storage.file.uploaded', flaky));
    await waitFor(() => done.includes(flaky) && deadLetters.some((l) => l.eventId === lost.eventId));
    await consumer.stop();
    expect(attempts.get(flaky)).toBe(2);
    expect(attempts.get(broken)).toBe(MAX_DELIVER);
    expect(deadLetters.find((l) => l.eventId === lost.eventId)).toMatchObject({
      durable: name,
      stream: 'STORAGE',
      subject: lost.subject,
      seq: lost.seq,
      deliveries: MAX_DELIVER,
      type: 'storage.file.uploaded',
      reason: `handler failed ${MAX_DELIVER} times: failing ${broken}`,
    });
  });

  it('fans out to every subscriber, and a throwing subscriber does not stop its subscription', async () => {
    const { bus } = await setUp();
    const sessionId = randomToken();
    const seen: string[] = [];
    const a = await bus.subscribe({
      types: ['gateway.ssh.session.closed'],
      handler: (e) => {
        if (e.data.sessionId !== sessionId) return;
        seen.push(`a:${e.data.durationMs}`);
        throw new Error('subscriber failure');
      },
    });
    const b = await bus.subscribe({
      types: ['gateway.ssh.session.closed'],
      handler: (e) => void (e.data.sessionId === sessionId && seen.push(`b:${e.data.durationMs}`)),
    });
    for (const durationMs of [1, 2]) {
      await bus.publish('gateway.ssh.session.closed', { ...samplePayload('gateway.ssh.session.closed', sessionId), durationMs });
    }
    await waitFor(() => seen.length === 4);
    await Promise.all([a.stop(), b.stop()]);
    expect(seen.sort()).toEqual(['a:1', 'a:2', 'b:1', 'b:2']);
  });
});
