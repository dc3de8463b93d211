import { randomUUID } from 'node:crypto';
import { buildSubject, eventCatalog, EventValidationError } from '@edd/events';
import type { EventData, EventType } from '@edd/events';
import type { Queryable } from './queryable';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

/**
 * Writes an event into the outbox inside the caller's transaction: it is published (by the relay) only if
 * that transaction commits. The payload is checked against the catalogue here, so an invalid event throws
 * and rolls back the change instead of failing later in the relay. Returns the event id.
 */
export async function enqueueEvent<T extends EventType>(
  client: Queryable,
  type: T,
  data: EventData<T>,
  options: { eventId?: string } = {},
): Promise<string> {
  const definition = eventCatalog[type];
  if (!definition) throw new EventValidationError(`unknown event type "${String(type)}"`);
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new EventValidationError(`invalid ${type} payload: ${issues}`);
  }
  // The subject is built from payload fields: an id that cannot be a subject token must fail now, not in the relay.
  buildSubject(type, parsed.data as never);
  const eventId = options.eventId ?? randomUUID();
  if (!UUID.test(eventId)) throw new EventValidationError('eventId: an outbox event id must be a UUID');
  await client.query('INSERT INTO event_outbox (id, type, data) VALUES ($1, $2, $3)', [eventId, type, JSON.stringify(parsed.data)]);
  return eventId;
}
