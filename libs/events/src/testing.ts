// Test helpers for code that uses @edd/events (import from '@edd/events/testing').
// Several people run tests against one NATS server: use randomToken() in ids and uniqueDurable() for
// consumer names, delete only the consumers you created, never the streams.
import { randomBytes } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { connectEventBus } from './bus';
import type { EventBus } from './bus-api';
import type { EventLogger } from './logger';
import { streamDefinitions } from './streams';

export { samplePayload, samplePayloads } from '@edd/event-contracts';

export const testNatsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** A random id that is a valid subject token, e.g. `t-3f9a0c1b2d4e`. */
export function randomToken(prefix = 't'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A durable consumer name unique to this test run. */
export function uniqueDurable(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Resolves once `predicate` returns true (polled every `intervalMs`); rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

/** A logger that records entries, to assert on what a consumer logged. */
export function memoryLogger(): EventLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (msg: string, fields?: Record<string, unknown>) => {
    entries.push({ level, msg, fields });
  };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A bus on the test NATS with the streams ensured. Close it in afterAll. */
export async function connectTestBus(name = 'test', logger: EventLogger = memoryLogger()): Promise<EventBus> {
  const bus = await connectEventBus({ servers: testNatsUrl, name, logger });
  await bus.ensureStreams();
  return bus;
}

async function withConnection<T>(servers: string, fn: (nc: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const nc = await connect({ servers, name: 'edd-events-testing' });
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

/** Deletes the durable consumers named `durable` on every event stream (missing ones are ignored). */
export async function deleteDurable(durable: string, servers = testNatsUrl): Promise<void> {
  await withConnection(servers, async (nc) => {
    const jsm = await jetstreamManager(nc);
    for (const { name } of streamDefinitions) {
      await jsm.consumers.delete(name, durable).catch((err: unknown) => {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
      });
    }
  });
}

/** Publishes a raw body on a subject through JetStream, bypassing validation (to test bad payloads). */
export async function publishRaw(subject: string, body: string, servers = testNatsUrl): Promise<{ seq: number }> {
  return withConnection(servers, async (nc) => {
    const ack = await jetstream(nc).publish(subject, body);
    return { seq: ack.seq };
  });
}

export { createMemoryBus } from './memory-bus';
export type { MemoryBus, MemoryBusOptions } from './memory-bus';
export { hasNatsServer, startPrivateNatsServer, type PrivateNatsServer } from './private-nats-server';
