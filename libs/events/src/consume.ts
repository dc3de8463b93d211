import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { ConsumerConfig, ConsumerInfo, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { EventType, StreamName } from './catalog';
import { consumerFilter } from './consumer-plan';
import { decodeEnvelope } from './envelope';
import type { ReceivedEvent } from './envelope';
import { errorMessage } from './logger';
import type { EventLogger } from './logger';
import { nanosFromMs } from './streams';
import { eventTypeOfSubject } from './subjects';

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
async function ensureDurable(options: Omit<DurableOptions<EventType>, 'handler'>): Promise<void> {
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

async function handleMessage<T extends EventType>(m: JsMsg, options: DurableOptions<T>): Promise<void> {
  const { logger, stream, durable } = options;
  const context = { stream, durable, subject: m.subject, seq: m.seq };
  const type = eventTypeOfSubject(m.subject, options.types);
  if (!type) {
    m.ack(); // outside the requested types: only reachable through a covering filter (pre-2.10 servers)
    return;
  }
  const decoded = decodeEnvelope(type, m.subject, m.string());
  if (!decoded.ok) {
    m.term(decoded.reason);
    logger.error('invalid event terminated', { ...context, reason: decoded.reason });
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
    const delivery = m.info.deliveryCount;
    const fields = { ...context, eventId: decoded.event.meta.eventId, delivery, error: errorMessage(err) };
    if (delivery >= MAX_DELIVER) {
      m.term(`handler failed ${delivery} times`);
      logger.error('event handler failed on the last delivery; message left in the stream', fields);
    } else {
      m.nak(options.retryDelayMs * delivery); // linear backoff: 1x, 2x, 3x ... the base delay
      logger.warn('event handler failed; message will be redelivered', fields);
    }
  } finally {
    clearInterval(working);
  }
}

/** One durable pull consumer on one stream, processing messages one at a time until stopped. */
export async function startDurable<T extends EventType>(options: DurableOptions<T>): Promise<Stoppable> {
  await ensureDurable(options);
  const consumer = await options.js.consumers.get(options.stream, options.durable);
  const messages = await consumer.consume({ max_messages: 20 });
  const fields = { stream: options.stream, durable: options.durable };
  void (async () => {
    for await (const status of messages.status()) {
      if (['consumer_deleted', 'consumer_not_found', 'stream_not_found'].includes(status.type)) {
        options.logger.warn(`event consumer: ${status.type}`, fields);
      }
    }
  })().catch(() => undefined);
  const loop = (async () => {
    for await (const m of messages) {
      try {
        await handleMessage(m, options);
      } catch (err) {
        // handleMessage catches handler errors; this guards acking on a closed connection and the like.
        options.logger.error('event consumer failed to process a message', { ...fields, error: errorMessage(err) });
      }
    }
  })().catch((err: unknown) => options.logger.error('event consumer stopped', { ...fields, error: errorMessage(err) }));
  return {
    async stop() {
      await messages.close();
      await loop;
    },
  };
}
