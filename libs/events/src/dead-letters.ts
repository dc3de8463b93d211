import { deadLetterHeaders, deadLetterSubject } from '@edd/event-contracts';
import type { EventType, StreamName } from '@edd/event-contracts';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { Counter, register } from 'prom-client';
import type { Registry } from 'prom-client';
import { errorMessage } from './logger';
import type { EventLogger } from './logger';

/** What the bus reports (hook, metric, log) for each message a durable consumer gave up on. */
export interface DeadLetter {
  durable: string;
  stream: StreamName;
  subject: string;
  seq: number;
  deliveries: number;
  reason: string;
  /** Known unless the subject matched none of the consumer's types. */
  type?: EventType;
  /** Known when the envelope could be read. */
  eventId?: string;
}

export const DEAD_LETTERS_METRIC = 'edd_events_dead_letters_total';

type DeadLetterCounter = Counter<'durable' | 'type'>;

/**
 * The dead-letter counter on `registry` (prom-client's default registry unless given). Several buses in one
 * process share it: prom-client refuses a second metric of the same name on a registry.
 */
export function deadLetterCounter(registry: Registry = register): DeadLetterCounter {
  const existing = registry.getSingleMetric(DEAD_LETTERS_METRIC);
  if (existing instanceof Counter) return existing as DeadLetterCounter;
  if (existing) throw new Error(`metric ${DEAD_LETTERS_METRIC} is already registered and is not a counter`);
  return new Counter({
    name: DEAD_LETTERS_METRIC,
    help: 'Event messages a durable consumer gave up on and moved to the DEADLETTER stream',
    labelNames: ['durable', 'type'] as const,
    registers: [registry],
  });
}

// Header values travel on one protocol line: no CR/LF, and bounded.
const headerValue = (value: string): string => value.replace(/[\r\n]+/gu, ' ').slice(0, 1_000);

/**
 * Republishes the original body to `deadletter.<durable>.<subject>` with the reason and origin in headers.
 * The message id makes a retried dead-letter publish of the same message a duplicate, not a second copy.
 */
export async function publishDeadLetter(js: JetStreamClient, m: JsMsg, letter: DeadLetter): Promise<void> {
  const h = headers();
  h.set(deadLetterHeaders.reason, headerValue(letter.reason));
  h.set(deadLetterHeaders.deliveries, String(letter.deliveries));
  h.set(deadLetterHeaders.durable, letter.durable);
  h.set(deadLetterHeaders.stream, letter.stream);
  h.set(deadLetterHeaders.subject, letter.subject);
  h.set(deadLetterHeaders.seq, String(letter.seq));
  await js.publish(deadLetterSubject(letter.durable, letter.subject), m.data, {
    headers: h,
    msgID: `dl-${letter.stream}-${letter.seq}-${letter.durable}`,
  });
}

export interface DeadLetterSinkOptions {
  js: JetStreamClient;
  logger: EventLogger;
  counter: DeadLetterCounter;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/** Moves a message to the DEADLETTER stream; resolves false (after logging) when that publish failed. */
export type DeadLetterSink = (m: JsMsg, letter: DeadLetter) => Promise<boolean>;

export function deadLetterSink(options: DeadLetterSinkOptions): DeadLetterSink {
  return async (m, letter) => {
    try {
      await publishDeadLetter(options.js, m, letter);
    } catch (err) {
      options.logger.error('dead-letter publish failed; message not terminated', { ...letter, error: errorMessage(err) });
      return false;
    }
    options.counter.inc({ durable: letter.durable, type: letter.type ?? 'unknown' });
    options.logger.error('event moved to the dead-letter stream', { ...letter });
    try {
      options.onDeadLetter?.(letter);
    } catch (err) {
      options.logger.warn('onDeadLetter hook failed', { error: errorMessage(err) });
    }
    return true;
  };
}
