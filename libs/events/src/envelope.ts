import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { eventCatalog } from './catalog';
import type { EventData, EventType } from './catalog';
import { buildSubject } from './subjects';

/*
 * Wire format: the message body is a JSON envelope `{ "meta": {...}, "data": {...} }`.
 * Chosen over NATS headers because the stored message is then self-describing: `nats stream view`,
 * a replay or a bridge that drops headers still carries event id, time, source and version, and one
 * JSON.parse gives the consumer everything it validates. The event id is ALSO sent as the
 * `Nats-Msg-Id` header (publish option `msgID`) because that is what JetStream de-duplicates on.
 */

export const EVENT_VERSION = 1;

export const eventMetaSchema = z.object({
  /** A UUID when minted by publish; callers may pass their own stable id for de-duplication. */
  eventId: z.string().min(1).max(200),
  timestamp: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  version: z.literal(EVENT_VERSION),
});

export type EventMeta = z.infer<typeof eventMetaSchema>;

/** An event as handed to consume/subscribe handlers; a union over T so `event.type` narrows `data`. */
export type ReceivedEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; subject: string; meta: EventMeta; data: EventData<K> };
}[T];

const envelopeSchema = z.object({ meta: eventMetaSchema, data: z.unknown() });

export function mintMeta(source: string, eventId: string = randomUUID()): EventMeta {
  return { eventId, timestamp: new Date().toISOString(), source, version: EVENT_VERSION };
}

export function encodeEnvelope(meta: EventMeta, data: unknown): string {
  return JSON.stringify({ meta, data });
}

export type DecodeResult<T extends EventType> = { ok: true; event: ReceivedEvent<T> } | { ok: false; reason: string };

/** Formats zod issues as `field: problem; ...` for logs and errors. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Parses and validates a received body for a known type; never throws. */
export function decodeEnvelope<T extends EventType>(type: T, subject: string, body: string): DecodeResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: `bad envelope: ${describeIssues(envelope.error)}` };
  const data = eventCatalog[type].schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, reason: `bad ${type} payload: ${describeIssues(data.error)}` };
  // The subject is derived from the payload; a mismatch means a forged or hand-written message.
  let expected: string;
  try {
    expected = buildSubject(type, data.data as never);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (expected !== subject) return { ok: false, reason: `subject does not match payload (expected ${expected})` };
  const event = { type, subject, meta: envelope.data.meta, data: data.data } as ReceivedEvent<T>;
  return { ok: true, event };
}
