// Public API of @edd/event-contracts: what an event IS (catalogue, payload schemas, subjects, envelope),
// with no NATS client, so the dashboard and api-client can use the payload types. The bus is @edd/events.
export { defineEvent, eventCatalog, eventTypes, eventVersion, isEventType } from './catalog';
export type { EventData, EventDefinition, EventType, EventVersioning, PatternKeys, SubjectIds } from './catalog';
export { DEAD_LETTER_PREFIX, deadLetterHeaders, deadLetterSubject } from './dead-letter';
export { EVENT_VERSION, decodeEnvelope, describeIssues, encodeEnvelope, eventMetaSchema, mintMeta, readPayload } from './envelope';
export type { DecodeResult, EventMeta, ReceivedEvent } from './envelope';
export { EventValidationError } from './errors';
export { prepareEvent } from './prepare';
export type { PreparedEvent } from './prepare';
export { samplePayload, samplePayloads } from './samples';
export { eventStreams, streamNames } from './streams';
export type { StreamName } from './streams';
export { buildSubject, coveringFilter, eventTypeOfSubject, fillSubject, subjectFilter, subjectMatches, subjectToken } from './subjects';
export { notification } from './notification';
export type { NotificationInput } from './notification';
