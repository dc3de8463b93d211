/*
 * Client choice: `@nats-io/transport-node` + `@nats-io/jetstream` (v3) rather than `nats` 2.x.
 * The v3 packages are the maintained successor of `nats` (which is in maintenance: fixes only, no new
 * server features), they are modular (core transport separate from JetStream, so only what is used is
 * loaded), and they carry the current JetStream API (`jetstream(nc).consumers`, ordered consumers,
 * `consume()` with heartbeats) that the old push-subscription API of `nats` 2.x predates.
 * This lib is the only place in the monorepo that imports the NATS client.
 */
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EventValidationError, prepareEvent } from '@edd/event-contracts';
import { startDurable } from './consume';
import type { Stoppable } from './consume';
import type { EventBus, EventBusOptions } from './bus-api';
import { groupByStream, supportsMultipleFilters } from './consumer-plan';
import { deadLetterCounter, deadLetterSink } from './dead-letters';
import { errorMessage, stderrLogger } from './logger';
import { ensureStreams } from './streams';
import { startFanOut } from './subscribe';
import { checkLiveSubject } from './live-subjects';

const PING_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function connectEventBus(options: EventBusOptions): Promise<EventBus> {
  const logger = options.logger ?? stderrLogger;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const nc = await connect({
    servers: options.servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    name: options.name,
    user: options.user,
    pass: options.pass,
    token: options.token,
    maxReconnectAttempts: -1, // reconnect forever: a NATS restart must not take services down
  });
  const js = jetstream(nc);
  const deadLetter = deadLetterSink({
    js,
    logger,
    counter: deadLetterCounter(options.metricsRegistry),
    onDeadLetter: options.onDeadLetter,
  });
  let jsm: Awaited<ReturnType<typeof jetstreamManager>>;
  try {
    jsm = await jetstreamManager(nc);
  } catch (err) {
    // JetStream disabled or unreachable: do not leave a reconnect-forever connection behind the failed start.
    await nc.close().catch(() => undefined);
    throw err;
  }
  const multipleFilters = supportsMultipleFilters(nc);
  const active = new Set<Stoppable>();
  let connected = true;
  let streamsReady: Promise<void> | undefined;
  const reconnectListeners = new Set<() => void>();

  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        logger.warn('event bus disconnected', { server: status.server });
      } else if (status.type === 'reconnect') {
        connected = true;
        logger.info('event bus reconnected', { server: status.server });
        for (const listener of reconnectListeners) listener();
      }
    }
  })().catch(() => undefined);

  // Streams are made sure of once, lazily, before the first publish/consume/subscribe.
  const ready = (): Promise<void> => {
    streamsReady ??= ensureStreams(jsm, logger).catch((err: unknown) => {
      streamsReady = undefined;
      throw err;
    });
    return streamsReady;
  };

  const track = (handles: Stoppable[]): Stoppable => {
    const handle: Stoppable = {
      async stop() {
        active.delete(handle);
        await Promise.all(handles.map((h) => h.stop()));
      },
    };
    active.add(handle);
    return handle;
  };

  const startAll = async (starters: Array<() => Promise<Stoppable>>): Promise<Stoppable> => {
    const started: Stoppable[] = [];
    try {
      for (const start of starters) started.push(await start());
    } catch (err) {
      await Promise.all(started.map((h) => h.stop().catch(() => undefined)));
      throw err;
    }
    return track(started);
  };

  return {
    async ensureStreams() {
      await ensureStreams(jsm, logger);
      streamsReady = Promise.resolve();
    },

    async publish(type, data, publishOptions) {
      const event = prepareEvent(type, data, { source: options.name, eventId: publishOptions?.eventId });
      await ready();
      const ack = await js.publish(event.subject, event.body, { msgID: event.meta.eventId });
      return { seq: ack.seq, duplicate: ack.duplicate, eventId: event.meta.eventId, subject: event.subject, stream: ack.stream };
    },

    async consume(consumeOptions) {
      await ready();
      const deliverPolicy = consumeOptions.from === 'new' ? DeliverPolicy.New : DeliverPolicy.All;
      const { durable, handler } = consumeOptions;
      const concurrency = consumeOptions.concurrency ?? 1;
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new EventValidationError('concurrency: a positive integer');
      const groups = [...groupByStream(consumeOptions.types)];
      const base = { js, jsm, logger, multipleFilters, deliverPolicy, retryDelayMs, durable, handler, concurrency, deadLetter };
      return startAll(
        groups.map(
          ([stream, types]) =>
            () =>
              startDurable({ ...base, stream, types }),
        ),
      );
    },

    async subscribe(subscribeOptions) {
      await ready();
      const groups = [...groupByStream(subscribeOptions.types)];
      const base = { js, jsm, logger, multipleFilters, handler: subscribeOptions.handler };
      return startAll(
        groups.map(
          ([stream, types]) =>
            () =>
              startFanOut({ ...base, stream, types }),
        ),
      );
    },

    broadcast(subject, body) {
      checkLiveSubject(subject);
      nc.publish(subject, body);
    },

    listen(listenOptions) {
      checkLiveSubject(listenOptions.subject);
      const sub = nc.subscribe(listenOptions.subject, {
        callback: (err, msg) => {
          if (err) return logger.warn('live subscription error', { subject: listenOptions.subject, error: errorMessage(err) });
          try {
            listenOptions.handler(msg.string(), msg.subject);
          } catch (handlerErr) {
            logger.error('live listener failed', { subject: msg.subject, error: errorMessage(handlerErr) });
          }
        },
      });
      const { onReconnect } = listenOptions;
      if (onReconnect) reconnectListeners.add(onReconnect);
      return track([
        {
          async stop() {
            if (onReconnect) reconnectListeners.delete(onReconnect);
            if (!sub.isClosed()) sub.unsubscribe();
          },
        },
      ]);
    },

    isConnected: () => connected && !nc.isClosed(),

    async ping() {
      if (!connected || nc.isClosed()) throw new Error('event bus is not connected');
      await withTimeout(nc.flush(), PING_TIMEOUT_MS, 'NATS ping');
    },

    async close() {
      const handles = [...active];
      await Promise.all(
        handles.map((h) => h.stop().catch((err: unknown) => logger.warn('event consumer stop failed', { error: errorMessage(err) }))),
      );
      if (nc.isClosed()) return;
      await nc.drain().catch(() => nc.close());
    },
  };
}
