import { eventCatalog } from './catalog';
import type { EventData, EventType } from './catalog';
import { describeIssues, encodeEnvelope, mintMeta } from './envelope';
import type { EventMeta } from './envelope';
import { EventValidationError } from './errors';
import { buildSubject } from './subjects';

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const EVENT_ID = /^[^\s\u0000-\u001f]{1,200}$/u; // ends up in a header: no whitespace or control characters

/** An event ready to be sent: validated payload, its subject, stamped meta and the encoded body. */
export interface PreparedEvent<T extends EventType = EventType> {
  type: T;
  stream: (typeof eventCatalog)[T]['stream'];
  subject: string;
  meta: EventMeta;
  data: EventData<T>;
  body: string;
}

/**
 * Everything a publisher does before the wire: validates the payload and the event id, builds the subject
 * and stamps the meta with the type's catalogue version. Throws EventValidationError.
 */
export function prepareEvent<T extends EventType>(
  type: T,
  data: EventData<T>,
  options: { source: string; eventId?: string },
): PreparedEvent<T> {
  const def = eventCatalog[type];
  if (!def) throw new EventValidationError(`unknown event type "${String(type)}"`);
  const parsed = def.schema.safeParse(data);
  if (!parsed.success) throw new EventValidationError(`invalid ${type} payload: ${describeIssues(parsed.error)}`);
  const subject = buildSubject(type, parsed.data as never);
  const { eventId } = options;
  if (eventId !== undefined && !EVENT_ID.test(eventId)) {
    throw new EventValidationError('eventId: 1-200 characters without whitespace');
  }
  const meta = mintMeta(options.source, eventId, def.version);
  const payload = parsed.data as EventData<T>;
  return { type, stream: def.stream, subject, meta, data: payload, body: encodeEnvelope(meta, payload) };
}
