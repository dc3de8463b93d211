import type { Database } from '@edd/db';
import type { EventBus, Stoppable } from '@edd/events';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';
import { DEFAULT_LIVE_CHANNEL, encodeLiveMessage, liveSubject, storedMessage } from '../live/live-messages';
import { intakeMetrics } from './intake-metrics';
import { PerKeyQueue } from './per-key-queue';
import { storeNotification } from './store-notification';

/** Replicas share this durable, so each event is taken in by one of them. */
export const INTAKE_DURABLE = 'notifications';

export interface IntakeOptions {
  db: Database;
  bus: EventBus;
  logger: Logger;
  /** Events handled at once (each acked on its own after its commit). Default 16. */
  concurrency?: number;
  durable?: string;
  /** Where a new durable starts (tests: 'new', so earlier events on a shared server stay out). Default 'all'. */
  from?: 'all' | 'new';
  /** Core NATS channel the replicas' sockets listen on (default `live.notifications`). */
  liveChannel?: string;
  /** Where the intake's delay histograms go (the service's `/metrics`); none: not measured. */
  metrics?: Registry;
}

/**
 * The durable consumer of `notify.>`: stores each notification (once per event id), then tells every replica so
 * their sockets get it. The bus acks only after the handler resolved, i.e. after the commit; a crash in between
 * redelivers the event, which the event-id claim turns into a no-op.
 */
export function startIntake(options: IntakeOptions): Promise<Stoppable> {
  const { db, bus, logger } = options;
  const perUser = new PerKeyQueue();
  const metrics = intakeMetrics(options.metrics);
  return bus.consume({
    durable: options.durable ?? INTAKE_DURABLE,
    types: ['notify'],
    concurrency: options.concurrency ?? 16,
    from: options.from ?? 'all',
    handler: async (event) => {
      metrics.delivered(event.meta.timestamp);
      const result = await perUser.run(event.data.userId, async () => {
        const started = performance.now();
        const taken = await storeNotification(db, event);
        metrics.batch(1, (performance.now() - started) / 1000);
        return taken;
      });
      metrics.stored(event.meta.timestamp);
      if (result.outcome !== 'stored') {
        logger.debug('notification not stored', { eventId: event.meta.eventId, outcome: result.outcome });
        return;
      }
      try {
        bus.broadcast(
          liveSubject(options.liveChannel ?? DEFAULT_LIVE_CHANNEL, result.notification.user_id),
          encodeLiveMessage(storedMessage(result.notification, result.previousId)),
        );
      } catch (error) {
        // Stored is what counts: sockets read what they missed on their next message or reconnect.
        logger.warn('live broadcast failed', { error: String(error) });
      }
    },
  });
}
