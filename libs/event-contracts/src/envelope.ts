import { z } from 'zod';
import { eventCatalog } from './catalog';
import type { EventData, EventDefinition, EventType } from './catalog';
import { fillSubject } from './subjects';

/*
 * Wire format: the message body is a JSON envelope `{ "meta": {...}, "data": {...} }`.
 * Chosen over NATS headers because the stored message is then self-describing: `nats stream view`,
 * a replay or a bridge that drops headers still carries event id, time, source and version, and one
 * JSON.parse gives the consumer everything it validates. The event id is ALSO sent as the
 * `Nats-Msg-Id` header (publish option `msgID`) because that is what JetStream de-duplicates on.
 */

/** The version of the first payload of every type; each type's current one is in the catalogue. */
export const EVENT_VERSION = 1;

export const eventMetaSchema = z.object({
  /** A UUID when minted by publish; callers may pass their own stable id for de-duplication. */
  eventId: z.string().min(1).max(200),
  timestamp: z.iso.datetime({ offset: true }),
  source: z.string().min(1),
  /** The payload version of this event's type when it was published (the catalogue's `version`). */
  version: z.number().int().min(1),
});

export type EventMeta = z.infer<typeof eventMetaSchema>;

/** An event as handed to consume/subscribe handlers; a union over T so `event.type` narrows `data`. */
export type ReceivedEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; subject: string; meta: EventMeta; data: EventData<K> };
}[T];

const envelopeSchema = z.object({ meta: eventMetaSchema, data: z.unknown() });

// globalThis.crypto (Node 20 and browsers) rather than node:crypto: this lib must load in the dashboard too.
export function mintMeta(source: string, eventId: string = globalThis.crypto.randomUUID(), version = EVENT_VERSION): EventMeta {
  return { eventId, timestamp: new Date().toISOString(), source, version };
}

export function encodeEnvelope(meta: EventMeta, data: unknown): string {
  return JSON.stringify({ meta, data });
}

/**
 * `retryable` is set when the message is newer than this code and does not fit its schema: another replica
 * already running the newer code may read it, so a consumer should not terminate it on the spot.
 */
export type DecodeResult<T extends EventType> = { ok: true; event: ReceivedEvent<T> } | { ok: false; reason: string; retryable: boolean };

/** Formats zod issues as `field: problem; ...` for logs and errors. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/**
 * Reads a payload published with `version` using this code's definition of the type: an older payload is
 * upgraded first (then the schema's defaults fill new fields), a newer one is parsed as is, its unknown
 * fields stripped by the non-strict schema.
 */
export function readPayload(def: EventDefinition, version: number, data: unknown): ReturnType<z.ZodType['safeParse']> {
  const current = version < def.version && def.upgrade ? def.upgrade(data, version) : data;
  return def.schema.safeParse(current);
}

const failed = (reason: string, retryable = false) => ({ ok: false as const, reason, retryable });

/**
 * Parses and validates a received body for a known type; never throws. `def` defaults to this code's
 * catalogue entry (tests pass another version of it to play an older or newer consumer).
 */
export function decodeEnvelope<T extends EventType>(
  type: T,
  subject: string,
  body: string,
  def: EventDefinition = eventCatalog[type],
): DecodeResult<T> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return failed('body is not valid JSON');
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return failed(`bad envelope: ${describeIssues(envelope.error)}`);
  const { meta } = envelope.data;
  const data = readPayload(def, meta.version, envelope.data.data);
  if (!data.success) {
    const newer = meta.version > def.version;
    const version = newer ? ` (version ${meta.version}, this consumer reads up to ${def.version})` : '';
    return failed(`bad ${type} payload${version}: ${describeIssues(data.error)}`, newer);
  }
  // The subject is derived from the payload; a mismatch means a forged or hand-written message.
  let expected: string;
  try {
    expected = fillSubject(def.subject, data.data as Record<string, unknown>);
  } catch (err) {
    return failed((err as Error).message);
  }
  if (expected !== subject) return failed(`subject does not match payload (expected ${expected})`);
  const event = { type, subject, meta, data: data.data } as ReceivedEvent<T>;
  return { ok: true, event };
}
