// Public API of @edd/events: the NATS JetStream bus. Everything of @edd/event-contracts (catalogue, schemas,
// subjects, envelope) is re-exported so existing imports keep working; code that must not load the NATS
// client (dashboard, api-client) imports @edd/event-contracts directly.
// Test helpers, including the in-memory bus, live in ./testing (import '@edd/events/testing').
export * from '@edd/event-contracts';
export { connectEventBus } from './bus';
export type { ConsumeOptions, EventBus, EventBusOptions, ListenOptions, PublishResult, SubscribeOptions } from './bus-api';
export { ACK_WAIT_MS, MAX_DELIVER } from './consume';
export type { Stoppable } from './consume';
export { DEAD_LETTERS_METRIC, deadLetterCounter } from './dead-letters';
export type { DeadLetter } from './dead-letters';
export type { EventLogger } from './logger';
export { eventPublisherNames, eventPublishers } from './publishers';
export type { EventPublisher } from './publishers';
export { streamDefinitions } from './streams';
export type { StreamDefinition } from './streams';
export { openRecordStream, createRecordStream } from './record-stream';
export type { BatchConsumerOptions, RecordStream, RecordStreamOptions, StreamRecord } from './record-stream';
export { LIVE_SUBJECT_PREFIX, checkLiveSubject } from './live-subjects';
export { notify } from './notify';
