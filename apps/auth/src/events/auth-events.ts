import type { EventData, EventType } from '@edd/events';
import { enqueueEvent, type Queryable } from '@edd/outbox';

export type AuthEventType = Extract<EventType, `auth.${string}`>;
/** One auth event, written with the change it describes. */
export type AuthEvent = { [T in AuthEventType]: { type: T; data: EventData<T> } }[AuthEventType];

/**
 * Writes events into the outbox in the transaction of the change they describe (`client` is that transaction):
 * they are published only if it commits, and a NATS outage delays them instead of losing them.
 */
export async function enqueueAuthEvents(client: Queryable, events: readonly AuthEvent[]): Promise<void> {
  for (const event of events) await enqueueEvent(client, event.type, event.data as EventData<typeof event.type>);
}
