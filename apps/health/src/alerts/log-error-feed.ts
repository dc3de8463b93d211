import type { Database } from '@edd/db';
import type { EventBus, Stoppable } from '@edd/events';
import { recordLogError } from '../data/alerts';

/** Shared by every replica: each `log.error.<source>` event is recorded once, whichever replica takes it. */
export const LOG_ERROR_DURABLE = 'health_log_errors';

/**
 * Records each ERROR entry the log service announces, for the error-burst rule (evaluated by the leader over the
 * table). Starts with new events only: a burst from before this service existed is not news.
 */
export function consumeLogErrors(bus: EventBus, db: Database, durable = LOG_ERROR_DURABLE): Promise<Stoppable> {
  return bus.consume({
    durable,
    types: ['log.error'],
    from: 'new',
    handler: async (event) => {
      // Counted when it was published: a redelivery after a restart lands in the right window.
      const at = new Date(event.meta.timestamp);
      await recordLogError(db, event.meta.eventId, event.data.source, Number.isNaN(at.getTime()) ? new Date() : at);
    },
  });
}
