import type { Database } from '@edd/db';
import type { EventBus, ReceivedEvent, Stoppable } from '@edd/events';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';
import { DEFAULT_LIVE_CHANNEL, encodeLiveMessage, liveSubject, storedMessage, type LiveMessage } from '../live/live-messages';
import { Batcher } from './batcher';
import { intakeMetrics } from './intake-metrics';
import { storeNotifications, type IntakeResult } from './store-notification';

/** Replicas share this durable, so each event is taken in by one of them. */
export const INTAKE_DURABLE = 'notifications';

export interface IntakeOptions {
  db: Database;
  bus: EventBus;
  logger: Logger;
  /**
   * Events delivered and not yet acked at once, which also bounds a batch (each is acked on its own after its
   * batch's commit). Default 256: after a stall (a cold start, a busy machine) the backlog drains in fewer, larger
   * batches.
   */
  concurrency?: number;
  /**
   * Batches stored at once (default 3), on as many pool connections: an event then seldom waits for another batch's
   * round trip. They never share a user, so each user's notifications are still stored in delivery order.
   */
  batchesInFlight?: number;
  durable?: string;
  /** Where a new durable starts (tests: 'new', so earlier events on a shared server stay out). Default 'all'. */
  from?: 'all' | 'new';
  /** Core NATS channel the replicas' sockets listen on (default `live.notifications`). */
  liveChannel?: string;
  /** Where the intake's delay histograms go (the service's `/metrics`); none: not measured. */
  metrics?: Registry;
  /**
   * This replica's own sockets (UserSockets.deliver): each stored notification reaches them at once instead of via
   * the NATS round trip, which on a busy machine was a tail of its own. The broadcast still goes to every replica;
   * here its echo finds the sockets past it (a feed sends an id once), and a feed that gets a user's notifications
   * out of order reads the gap from the database, as for any replica.
   */
  deliverHere?: (message: LiveMessage) => void;
}

/**
 * The durable consumer of `notify.>`: stores each notification (once per event id), then tells every replica so
 * their sockets get it. Events delivered while the batch slots are busy are stored together in the next batch (one
 * round trip, one commit); a user with a batch in flight waits for it, so one user's notifications keep the
 * stream's order. The bus acks an event only after its handler resolved, i.e. after its batch's commit; a crash in between
 * redelivers it, which the event-id claim turns into a no-op.
 */
export function startIntake(options: IntakeOptions): Promise<Stoppable> {
  const { db, bus, logger } = options;
  const concurrency = options.concurrency ?? 256;
  const metrics = intakeMetrics(options.metrics);
  const batcher = new Batcher<ReceivedEvent<'notify'>, IntakeResult>(
    async (events) => {
      for (const event of events) metrics.batched(event.meta.timestamp);
      const started = performance.now();
      const results = await storeNotifications(db, events);
      metrics.batch(events.length, (performance.now() - started) / 1000);
      return results;
    },
    { maxBatch: concurrency, maxInFlight: options.batchesInFlight ?? 3, keyOf: (event) => event.data.userId },
  );
  return bus.consume({
    durable: options.durable ?? INTAKE_DURABLE,
    types: ['notify'],
    concurrency,
    from: options.from ?? 'all',
    handler: async (event) => {
      metrics.delivered(event.meta.timestamp);
      const result = await batcher.add(event);
      metrics.stored(event.meta.timestamp);
      if (result.outcome !== 'stored') {
        logger.debug('notification not stored', { eventId: event.meta.eventId, outcome: result.outcome });
        return;
      }
      const message = storedMessage(result.notification, result.previousId);
      try {
        bus.broadcast(liveSubject(options.liveChannel ?? DEFAULT_LIVE_CHANNEL, result.notification.user_id), encodeLiveMessage(message));
      } catch (error) {
        // Stored is what counts: sockets read what they missed on their next message or reconnect.
        logger.warn('live broadcast failed', { error: String(error) });
      }
      try {
        options.deliverHere?.(message);
      } catch (error) {
        // As above: the event is stored and acked either way; a socket that missed it catches up.
        logger.warn('local delivery failed', { error: String(error) });
      }
    },
  });
}
