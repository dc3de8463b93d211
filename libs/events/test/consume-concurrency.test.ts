// `concurrency` on real NATS: n handlers run at once, and each message is acked on its own (a slow one
// does not hold back the acks of the others). Uses gateway.ssh.session.* events, which only these tests publish.
import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../src/bus-api';
import { EventValidationError } from '@edd/event-contracts';
import { connectTestBus, deleteDurable, randomToken, samplePayload, testNatsUrl, uniqueDurable, waitFor } from '../src/testing';

let bus: EventBus;
let nc: NatsConnection;
let jsm: JetStreamManager;
const durable = uniqueDurable('events_concurrency');

beforeAll(async () => {
  bus = await connectTestBus('events-concurrency-test');
  nc = await connect({ servers: testNatsUrl });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await bus.close();
  await nc.close();
  await deleteDurable(durable);
});

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('consume concurrency', () => {
  it('refuses a concurrency that is not a positive integer', async () => {
    const handler = () => undefined;
    await expect(bus.consume({ durable: uniqueDurable('unused'), types: ['notify'], handler, concurrency: 0 })).rejects.toThrow(
      EventValidationError,
    );
  });

  it('runs n handlers at once and acks each message on its own', async () => {
    const userId = randomToken('user');
    const [slow, fast1, fast2] = [randomToken('s'), randomToken('s'), randomToken('s')];
    const slowGate = gate();
    const fastGate = gate();
    let running = 0;
    let maxRunning = 0;
    const finished: string[] = [];
    const consumer = await bus.consume({
      durable,
      types: ['gateway.ssh.session.opened'],
      from: 'new',
      concurrency: 3,
      handler: async (event) => {
        if (event.data.userId !== userId) return;
        running++;
        maxRunning = Math.max(maxRunning, running);
        await (event.data.sessionId === slow ? slowGate.promise : fastGate.promise);
        running--;
        finished.push(event.data.sessionId);
      },
    });
    const ackPending = async () => (await jsm.consumers.info('GATEWAY', durable)).num_ack_pending;
    try {
      for (const sessionId of [slow, fast1, fast2]) {
        await bus.publish('gateway.ssh.session.opened', { ...samplePayload('gateway.ssh.session.opened', sessionId), userId });
      }
      // With one handler at a time the first would block the other two and this would never hold.
      await waitFor(() => running === 3);
      fastGate.open();
      await waitFor(() => finished.length === 2);
      // The two fast messages are acked while the slow one is still being handled.
      await waitFor(async () => (await ackPending()) === 1);
      slowGate.open();
      await waitFor(() => finished.length === 3);
      await waitFor(async () => (await ackPending()) === 0);
    } finally {
      slowGate.open();
      fastGate.open();
      await consumer.stop();
    }
    expect(maxRunning).toBe(3);
    expect(finished.sort()).toEqual([slow, fast1, fast2].sort());
    expect((await jsm.consumers.info('GATEWAY', durable)).num_redelivered).toBe(0);
  });
});
