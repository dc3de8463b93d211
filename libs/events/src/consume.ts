import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { ConsumerConfig, ConsumerInfo, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { EventType, StreamName } from '@edd/event-contracts';
import { consumerFilter } from './consumer-plan';
import type { DeadLetter, DeadLetterSink } from './dead-letters';
import { decodeEnvelope } from '@edd/event-contracts';
import type { ReceivedEvent } from '@edd/event-contracts';
import { errorMessage } from './logger';
import type { EventLogger } from './logger';
import { nanosFromMs } from './streams';
import { eventTypeOfSubject } from '@edd/event-contracts';

export const ACK_WAIT_MS = 30_000;
export const MAX_DELIVER = 5;
// While a handler runs we tell the server we are still working, so a slow handler is not redelivered.
const WORKING_INTERVAL_MS = 10_000;

export interface DurableOptions<T extends EventType> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: EventLogger;
  stream: StreamName;
  durable: string;
  types: readonly T[];
  multipleFilters: boolean;
  deliverPolicy: DeliverPolicy;
  retryDelayMs: number;
  /** How many handler calls may run at once (each message still acked on its own). */
  concurrency: number;
  deadLetter: DeadLetterSink;
  handler: (event: ReceivedEvent<T>) => void | Promise<void>;
}

export interface Stoppable {
  stop(): Promise<void>;
}

function filterConfig(filter: string | string[]): Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> {
  return Array.isArray(filter) ? { filter_subjects: filter } : { filter_subject: filter };
}

function sameFilter(info: ConsumerInfo, filter: string | string[]): boolean {
  const current = info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
  const wanted = Array.isArray(filter) ? filter : [filter];
  return current.length === wanted.length && wanted.every((f) => current.includes(f));
}

/** Creates the durable consumer, or updates an existing one whose filter/ack settings drifted. */
async function ensureDurable(options: Omit<DurableOptions<EventType>, 'handler' | 'deadLetter'>): Promise<void> {
  const { jsm, stream, durable } = options;
  const filter = consumerFilter(options.types, options.multipleFilters);
  const settings = { ack_wait: nanosFromMs(ACK_WAIT_MS), max_deliver: MAX_DELIVER, ...filterConfig(filter) };
  let info: ConsumerInfo | undefined;
  try {
    info = await jsm.consumers.info(stream, durable);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
  }
  if (!info) {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: options.deliverPolicy,
      ...settings,
    });
    return;
  }
  const drifted = !sameFilter(info, filter) || info.config.ack_wait !== settings.ack_wait || info.config.max_deliver !== MAX_DELIVER;
  if (!drifted) return;
  try {
    await jsm.consumers.update(stream, durable, settings);
  } catch (err) {
    throw new Error(
      `durable consumer "${durable}" on ${stream} exists with other settings and cannot be updated ` +
        `(${errorMessage(err)}); use a new durable name`,
      { cause: err },
    );
  }
}

/**
 * Gives up on a message: dead-letter it, then terminate it. When the dead-letter publish failed the message
 * is kept instead: redelivered later while deliveries remain, else left unacknowledged in its stream.
 */
async function giveUp(
  m: JsMsg,
  letter: DeadLetter,
  options: Pick<DurableOptions<EventType>, 'deadLetter' | 'retryDelayMs'>,
): Promise<void> {
  // No reason on +TERM: servers before 2.10.4 ignore a "+TERM <reason>" ack entirely (the message would
  // stay pending and come back after the ack wait). The reason travels in the dead letter's headers.
  if (await options.deadLetter(m, letter)) m.term();
  else if (letter.deliveries < MAX_DELIVER) m.nak(options.retryDelayMs * letter.deliveries);
}

async function handleMessage<T extends EventType>(m: JsMsg, options: DurableOptions<T>): Promise<void> {
  const { logger, stream, durable } = options;
  const context = { stream, durable, subject: m.subject, seq: m.seq };
  const type = eventTypeOfSubject(m.subject, options.types);
  if (!type) {
    m.ack(); // outside the requested types: only reachable through a covering filter (pre-2.10 servers)
    return;
  }
  const delivery = m.info.deliveryCount;
  const letter = (reason: string, eventId?: string): DeadLetter => ({ ...context, type, eventId, deliveries: delivery, reason });
  const decoded = decodeEnvelope(type, m.subject, m.string());
  if (!decoded.ok) {
    if (decoded.retryable && delivery < MAX_DELIVER) {
      // Newer than this code: a replica already running the newer version may read it.
      m.nak(options.retryDelayMs * delivery);
      logger.warn('event newer than this consumer; left for redelivery', { ...context, delivery, reason: decoded.reason });
      return;
    }
    logger.error('invalid event terminated', { ...context, reason: decoded.reason });
    await giveUp(m, letter(`invalid: ${decoded.reason}`), options);
    return;
  }
  const working = setInterval(() => {
    try {
      m.working();
    } catch {
      // disconnected: the ack wait may lapse and the message be redelivered, which is the safe outcome
    }
  }, WORKING_INTERVAL_MS);
  try {
    await options.handler(decoded.event);
    m.ack();
  } catch (err) {
    const eventId = decoded.event.meta.eventId;
    const fields = { ...context, eventId, delivery, error: errorMessage(err) };
    if (delivery >= MAX_DELIVER) {
      logger.error('event handler failed on the last delivery; moving it to the dead-letter stream', fields);
      await giveUp(m, letter(`handler failed ${delivery} times: ${errorMessage(err)}`, eventId), options);
    } else {
      m.nak(options.retryDelayMs * delivery); // linear backoff: 1x, 2x, 3x ... the base delay
      logger.warn('event handler failed; message will be redelivered', fields);
    }
  } finally {
    clearInterval(working);
  }
}

/** One durable pull consumer on one stream, running up to `concurrency` handlers at once until stopped. */
export async function startDurable<T extends EventType>(options: DurableOptions<T>): Promise<Stoppable> {
  await ensureDurable(options);
  const consumer = await options.js.consumers.get(options.stream, options.durable);
  const messages = await consumer.consume({ max_messages: Math.max(20, options.concurrency) });
  const fields = { stream: options.stream, durable: options.durable };
  void (async () => {
    for await (const status of messages.status()) {
      if (['consumer_deleted', 'consumer_not_found', 'stream_not_found'].includes(status.type)) {
        options.logger.warn(`event consumer: ${status.type}`, fields);
      }
    }
  })().catch(() => undefined);
  const processMessage = async (m: JsMsg): Promise<void> => {
    try {
      await handleMessage(m, options);
    } catch (err) {
      // handleMessage catches handler errors; this guards acking on a closed connection and the like.
      options.logger.error('event consumer failed to process a message', { ...fields, error: errorMessage(err) });
    }
  };
  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const m of messages) {
      const task: Promise<void> = processMessage(m).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  })().catch((err: unknown) => options.logger.error('event consumer stopped', { ...fields, error: errorMessage(err) }));
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
