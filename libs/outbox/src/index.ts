// Public API of @edd/outbox: events written in the same transaction as the data (enqueueEvent), published by a
// relay (startOutboxRelay), and consumers that apply each event once (handleOnce).
export { enqueueEvent } from './enqueue';
export { handleOnce, pruneProcessedEvents } from './handle-once';
export type { OutboxLogger, Queryable } from './queryable';
export { startOutboxRelay } from './relay';
export type { OutboxRelay, OutboxRelayOptions } from './relay';
export { OUTBOX_CHANNEL, outboxMigrations } from './schema';
