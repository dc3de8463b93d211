// Event payload types for the dashboard (live updates over SSE/WebSocket carry these payloads), from the
// contracts lib, which has no NATS client: type-only, so nothing of it is bundled.
export type { EventData, EventMeta, EventType, ReceivedEvent } from '@edd/event-contracts';
