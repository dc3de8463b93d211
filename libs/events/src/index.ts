// Public API of @edd/events. Test helpers live in ./testing (import '@edd/events/testing').
export { eventCatalog, eventTypes, isEventType } from './catalog';
export type { EventData, EventType, StreamName, SubjectIds } from './catalog';
export { connectEventBus } from './bus';
export type { ConsumeOptions, EventBus, EventBusOptions, PublishResult, SubscribeOptions } from './bus-api';
export type { Stoppable } from './consume';
export { eventMetaSchema } from './envelope';
export type { EventMeta, ReceivedEvent } from './envelope';
export { EventValidationError } from './errors';
export type { EventLogger } from './logger';
export { eventPublisherNames, eventPublishers } from './publishers';
export type { EventPublisher } from './publishers';
export { streamDefinitions } from './streams';
export { buildSubject, eventTypeOfSubject, subjectFilter, subjectToken } from './subjects';
