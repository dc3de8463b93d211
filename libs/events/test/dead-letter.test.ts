// Dead letters on real NATS: a message the handler fails on every delivery, or that can never be read, is
// republished to deadletter.<durable>.<subject> with its reason and origin, terminated, and counted.
import { deadLetterHeaders, deadLetterSubject, decodeEnvelope } from '@edd/event-contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEventBus } from '../src/bus';
import type { EventBus } from '../src/bus-api';
import { MAX_DELIVER } from '../src/consume';
import { DEAD_LETTERS_METRIC } from '../src/dead-letters';
import type { DeadLetter } from '../src/dead-letters';
import { deleteDurable, memoryLogger, publishRaw, randomToken, samplePayload, testNatsUrl, uniqueDurable, waitFor } from '../src/testing';

const registry = new Registry();
const letters: DeadLetter[] = [];
const durable = uniqueDurable('events_deadletter');
let bus: EventBus;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  const options = { servers: testNatsUrl, name: 'events-deadletter-test', logger: memoryLogger(), retryDelayMs: 20 };
  bus = await connectEventBus({ ...options, metricsRegistry: registry, onDeadLetter: (letter) => letters.push(letter) });
  await bus.ensureStreams();
  nc = await connect({ servers: testNatsUrl });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await bus.close();
  await nc.close();
  await deleteDurable(durable);
});

async function countFor(labels: { durable: string; type: string }): Promise<number> {
  const metric = await registry.getSingleMetric(DEAD_LETTERS_METRIC)?.get();
  const value = metric?.values.find((v) => v.labels['durable'] === labels.durable && v.labels['type'] === labels.type);
  return value?.value ?? 0;
}

describe('dead letters', () => {
  it('moves a message the handler always fails on to the DEADLETTER stream after the last delivery, and counts it', async () => {
    const ownerId = randomToken('owner');
    const broken = randomToken('owner');
    let attempts = 0;
    const consumer = await bus.consume({
      durable,
      types: ['storage.file.deleted'],
      from: 'new',
      handler: (event) => {
        if (event.data.ownerId !== ownerId) return;
        attempts++;
        throw new Error('disk on fire');
      },
    });
    try {
      const published = await bus.publish('storage.file.deleted', samplePayload('storage.file.deleted', ownerId));
      await waitFor(() => letters.some((l) => l.subject === published.subject));
      const subject = deadLetterSubject(durable, published.subject);
      const stored = await jsm.streams.getMessage('DEADLETTER', { last_by_subj: subject });
      expect(stored?.header.get(deadLetterHeaders.reason)).toBe(`handler failed ${MAX_DELIVER} times: disk on fire`);
      expect(stored?.header.get(deadLetterHeaders.deliveries)).toBe(String(MAX_DELIVER));
      expect(stored?.header.get(deadLetterHeaders.subject)).toBe(published.subject);
      expect(stored?.header.get(deadLetterHeaders.stream)).toBe('STORAGE');
      expect(stored?.header.get(deadLetterHeaders.seq)).toBe(String(published.seq));
      // The body is the original envelope, untouched, so the dead letter can be replayed.
      const replay = decodeEnvelope('storage.file.deleted', published.subject, stored?.string() ?? '');
      expect(replay).toMatchObject({ ok: true, event: { meta: { eventId: published.eventId } } });
      expect(attempts).toBe(MAX_DELIVER);
      expect(await countFor({ durable, type: 'storage.file.deleted' })).toBe(1);
      expect(letters.find((l) => l.subject === published.subject)).toMatchObject({ eventId: published.eventId, deliveries: MAX_DELIVER });

      // A message that can never be read goes there on its first delivery, without running the handler.
      const rawSubject = `storage.file.${broken}.deleted`;
      const raw = await publishRaw(rawSubject, 'not json');
      await waitFor(() => letters.some((l) => l.subject === rawSubject));
      const invalid = await jsm.streams.getMessage('DEADLETTER', { last_by_subj: deadLetterSubject(durable, rawSubject) });
      expect(invalid?.header.get(deadLetterHeaders.reason)).toBe('invalid: body is not valid JSON');
      expect(invalid?.header.get(deadLetterHeaders.deliveries)).toBe('1');
      expect(invalid?.header.get(deadLetterHeaders.seq)).toBe(String(raw.seq));
      expect(invalid?.string()).toBe('not json');
      expect(await countFor({ durable, type: 'storage.file.deleted' })).toBe(2);
    } finally {
      await consumer.stop();
    }
    // Terminated, not left pending (the term travels on the bus's connection, the info request on ours).
    await waitFor(async () => (await jsm.consumers.info('STORAGE', durable)).num_ack_pending === 0);
  });
});
