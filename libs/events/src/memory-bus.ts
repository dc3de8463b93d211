import { decodeEnvelope, EventValidationError, isEventType, prepareEvent, subjectMatches } from '@edd/event-contracts';
import type { EventType, PreparedEvent, ReceivedEvent } from '@edd/event-contracts';
import type { EventBus } from './bus-api';
import { MAX_DELIVER } from './consume';
import type { Stoppable } from './consume';
import type { DeadLetter } from './dead-letters';
import { checkLiveSubject } from './live-subjects';
import { errorMessage, stderrLogger } from './logger';
import type { EventLogger } from './logger';

export interface MemoryBusOptions {
  /** `meta.source` of published events. Default 'memory-bus'. */
  name?: string;
  logger?: EventLogger;
  onDeadLetter?: (letter: DeadLetter) => void;
}

/** An EventBus in process memory for unit tests of services; same validation, delivery and retry rules. */
export interface MemoryBus extends EventBus {
  /** Every stored event in publish order (duplicates dropped). */
  readonly published: readonly PreparedEvent[];
  /** Every message a durable consumer gave up on. */
  readonly deadLetters: readonly DeadLetter[];
  /** Resolves once nothing is being delivered and nothing deliverable is waiting (redeliveries included). */
  idle(): Promise<void>;
}

type Handler = (event: ReceivedEvent) => void | Promise<void>;

interface Stored {
  event: PreparedEvent;
  seq: number;
}

interface Worker {
  handler: Handler;
  concurrency: number;
  inFlight: number;
}

interface Durable {
  name: string;
  types: Set<EventType>;
  queue: Stored[];
  workers: Worker[];
  next: number; // round-robin between replicas sharing the durable
}

interface Subscriber {
  types: Set<EventType>;
  handler: Handler;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const source = options.name ?? 'memory-bus';
  const logger = options.logger ?? stderrLogger;
  const published: PreparedEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const log: Stored[] = []; // what the streams retain, in publish order
  const byEventId = new Map<string, Stored>();
  const seqByStream = new Map<string, number>();
  const durables = new Map<string, Durable>();
  const subscribers = new Set<Subscriber>();
  const listeners = new Set<{ subject: string; handler: (body: string, subject: string) => void }>();
  const running = new Set<Promise<void>>();
  const handles = new Set<Stoppable>();
  let closed = false;

  const track = (work: Promise<void>): void => {
    const task = work.finally(() => running.delete(task));
    running.add(task);
  };

  const decode = (stored: Stored): ReturnType<typeof decodeEnvelope> => {
    const { type, subject, body } = stored.event;
    return decodeEnvelope(type, subject, body);
  };

  const giveUp = (durable: Durable, stored: Stored, deliveries: number, reason: string): void => {
    const { event } = stored;
    const letter: DeadLetter = {
      durable: durable.name,
      stream: event.stream,
      subject: event.subject,
      seq: stored.seq,
      deliveries,
      reason,
      type: event.type,
      eventId: event.meta.eventId,
    };
    deadLetters.push(letter);
    logger.error('event moved to the dead-letter stream', { ...letter });
    options.onDeadLetter?.(letter);
  };

  // One message to one worker: redelivered at once on failure, up to MAX_DELIVER times, then dead-lettered.
  const deliver = async (durable: Durable, worker: Worker, stored: Stored): Promise<void> => {
    const decoded = decode(stored);
    if (!decoded.ok) return giveUp(durable, stored, 1, `invalid: ${decoded.reason}`);
    for (let delivery = 1; delivery <= MAX_DELIVER; delivery++) {
      try {
        await worker.handler(decoded.event);
        return;
      } catch (err) {
        const fields = { durable: durable.name, subject: stored.event.subject, delivery, error: errorMessage(err) };
        if (delivery === MAX_DELIVER) return giveUp(durable, stored, delivery, `handler failed ${delivery} times: ${errorMessage(err)}`);
        logger.warn('event handler failed; message will be redelivered', fields);
        await nextTick();
      }
    }
  };

  const pump = (durable: Durable): void => {
    while (durable.queue.length > 0) {
      const free = durable.workers.filter((w) => w.inFlight < w.concurrency);
      if (free.length === 0) return;
      const worker = free[durable.next++ % free.length] as Worker;
      const stored = durable.queue.shift() as Stored;
      worker.inFlight++;
      track(
        deliver(durable, worker, stored).finally(() => {
          worker.inFlight--;
          pump(durable);
        }),
      );
    }
  };

  const ensureOpen = (): void => {
    if (closed) throw new Error('event bus is closed');
  };

  const retained = (types: Set<EventType>): Stored[] => log.filter((s) => types.has(s.event.type));

  const bus: MemoryBus = {
    published,
    deadLetters,

    async ensureStreams() {
      ensureOpen();
    },

    async publish(type, data, publishOptions) {
      const event: PreparedEvent = prepareEvent(type, data, { source, eventId: publishOptions?.eventId });
      ensureOpen();
      const known = byEventId.get(event.meta.eventId);
      if (known) {
        const { subject, stream, meta } = known.event;
        return { seq: known.seq, duplicate: true, eventId: meta.eventId, subject, stream };
      }
      const seq = (seqByStream.get(event.stream) ?? 0) + 1;
      seqByStream.set(event.stream, seq);
      const entry: Stored = { event, seq };
      byEventId.set(event.meta.eventId, entry);
      log.push(entry);
      published.push(event);
      for (const durable of durables.values()) {
        if (!durable.types.has(event.type)) continue;
        durable.queue.push(entry);
        queueMicrotask(() => pump(durable));
      }
      for (const subscriber of subscribers) {
        if (!subscriber.types.has(event.type)) continue;
        const decoded = decode(entry);
        if (!decoded.ok) continue;
        track(
          (async () => {
            await nextTick(); // after publish resolves, like a network round trip
            await subscriber.handler(decoded.event);
          })().catch((err: unknown) => logger.error('event subscriber failed', { subject: event.subject, error: errorMessage(err) })),
        );
      }
      return { seq, duplicate: false, eventId: event.meta.eventId, subject: event.subject, stream: event.stream };
    },

    async consume(consumeOptions) {
      ensureOpen();
      const concurrency = consumeOptions.concurrency ?? 1;
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new EventValidationError('concurrency: a positive integer');
      if (consumeOptions.types.length === 0) throw new EventValidationError('at least one event type is required');
      const types = new Set<EventType>(consumeOptions.types);
      for (const type of types) if (!isEventType(type)) throw new EventValidationError(`unknown event type "${String(type)}"`);
      let durable = durables.get(consumeOptions.durable);
      if (!durable) {
        const backlog = consumeOptions.from === 'new' ? [] : retained(types);
        durable = { name: consumeOptions.durable, types, queue: backlog, workers: [], next: 0 };
        durables.set(durable.name, durable);
      }
      durable.types = types; // like the real bus: a changed filter is applied to the existing durable
      const worker: Worker = { handler: consumeOptions.handler as Handler, concurrency, inFlight: 0 };
      durable.workers.push(worker);
      const owner = durable;
      queueMicrotask(() => pump(owner));
      const handle: Stoppable = {
        async stop() {
          handles.delete(handle);
          owner.workers = owner.workers.filter((w) => w !== worker);
          while (worker.inFlight > 0) await Promise.allSettled([...running]);
        },
      };
      handles.add(handle);
      return handle;
    },

    async subscribe(subscribeOptions) {
      ensureOpen();
      if (subscribeOptions.types.length === 0) throw new EventValidationError('at least one event type is required');
      const subscriber: Subscriber = { types: new Set(subscribeOptions.types), handler: subscribeOptions.handler as Handler };
      subscribers.add(subscriber);
      const handle: Stoppable = {
        async stop() {
          handles.delete(handle);
          subscribers.delete(subscriber);
        },
      };
      handles.add(handle);
      return handle;
    },

    broadcast(subject, body) {
      ensureOpen();
      checkLiveSubject(subject);
      for (const listener of listeners) {
        if (!subjectMatches(listener.subject, subject)) continue;
        setImmediate(() => {
          try {
            listener.handler(body, subject);
          } catch (err) {
            logger.error('live listener failed', { subject, error: errorMessage(err) });
          }
        });
      }
    },

    listen(listenOptions) {
      ensureOpen();
      checkLiveSubject(listenOptions.subject);
      const listener = { subject: listenOptions.subject, handler: listenOptions.handler };
      listeners.add(listener);
      const handle: Stoppable = {
        async stop() {
          handles.delete(handle);
          listeners.delete(listener);
        },
      };
      handles.add(handle);
      return handle;
    },

    isConnected: () => !closed,

    async ping() {
      if (closed) throw new Error('event bus is not connected');
    },

    async close() {
      await Promise.all([...handles].map((h) => h.stop()));
      closed = true;
    },

    async idle() {
      for (;;) {
        await nextTick(); // lets queued microtasks (pumps) start their deliveries
        if (running.size === 0) return;
        await Promise.allSettled([...running]);
      }
    },
  };
  return bus;
}
