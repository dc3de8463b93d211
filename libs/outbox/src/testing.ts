// Test helpers of @edd/outbox (import from '@edd/outbox/testing').
import type { Queryable } from './queryable';

export interface OutboxEvent {
  type: string;
  data: Record<string, unknown>;
}

/** What a service wrote into its outbox, oldest first, sent or not: what a test asserts the service published. */
export async function outboxEvents(db: Queryable): Promise<OutboxEvent[]> {
  const { rows } = await db.query<OutboxEvent>('SELECT type, data FROM event_outbox ORDER BY seq');
  return rows;
}
