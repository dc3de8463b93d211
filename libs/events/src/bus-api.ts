import type { EventData, EventType } from './catalog';
import type { Stoppable } from './consume';
import type { ReceivedEvent } from './envelope';
import type { EventLogger } from './logger';

export interface EventBusOptions {
  /** One URL or a comma-separated list, e.g. `nats://127.0.0.1:4222`. */
  servers: string;
  /** Client connection name, and `meta.source` of every published event. */
  name: string;
  /** Credentials of this service's NATS user (unset: an anonymous connection, as on the test server). */
  user?: string;
  pass?: string;
  /** Or a token, for a server configured with `authorization { token }`. */
  token?: string;
  logger?: EventLogger;
  /** Base delay before a failed handler's message is redelivered (grows linearly per attempt). Default 1000. */
  retryDelayMs?: number;
}

export interface PublishResult {
  seq: number;
  duplicate: boolean;
  /** Added: the event id used (minted when not given) and where the event went. */
  eventId: string;
  subject: string;
  stream: string;
}

export interface ConsumeOptions<T extends EventType> {
  /** Durable consumer name (no `.`, `*`, `>` or whitespace); replicas sharing it share the work. */
  durable: string;
  types: readonly T[];
  handler: (event: ReceivedEvent<T>) => void | Promise<void>;
  /** Added: where a NEW durable starts: every retained event ('all', default) or only later ones ('new'). */
  from?: 'all' | 'new';
}

export interface SubscribeOptions<T extends EventType> {
  types: readonly T[];
  handler: (event: ReceivedEvent<T>) => void | Promise<void>;
}

export interface EventBus {
  /** Creates or updates the AUTH, COMPUTE, NOTIFICATIONS, CLUSTER and LOGS streams; idempotent. */
  ensureStreams(): Promise<void>;
  /** Validates `data`, then publishes with `Nats-Msg-Id` = eventId so JetStream drops duplicates (2 min window). */
  publish<T extends EventType>(type: T, data: EventData<T>, options?: { eventId?: string }): Promise<PublishResult>;
  /** Durable, load-balanced processing: explicit ack, 30 s ack wait, at most 5 deliveries. */
  consume<T extends EventType>(options: ConsumeOptions<T>): Promise<Stoppable>;
  /** Every subscriber sees every event published from now on (ordered consumers, no acks). */
  subscribe<T extends EventType>(options: SubscribeOptions<T>): Promise<Stoppable>;
  isConnected(): boolean;
  /** Round trip to the server; rejects when disconnected or slower than 2 s. */
  ping(): Promise<void>;
  /** Stops every consumer and subscription of this bus, then drains and closes the connection. */
  close(): Promise<void>;
}
