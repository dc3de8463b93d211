import type { EventData, EventType } from '@edd/event-contracts';
import type { Stoppable } from './consume';
import type { ReceivedEvent } from '@edd/event-contracts';
import type { Registry } from 'prom-client';
import type { DeadLetter } from './dead-letters';
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
  /** Where the dead-letter counter (`edd_events_dead_letters_total`) is registered; prom-client's default registry otherwise. */
  metricsRegistry?: Registry;
  /** Called after a message was moved to the DEADLETTER stream (alerting, tests). */
  onDeadLetter?: (letter: DeadLetter) => void;
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
  /** How many handler calls may run at once; each message is still acked or redelivered on its own. Default 1 (in order). */
  concurrency?: number;
}

export interface SubscribeOptions<T extends EventType> {
  types: readonly T[];
  handler: (event: ReceivedEvent<T>) => void | Promise<void>;
}

/** Core NATS (no JetStream): at-most-once messages for every listener, e.g. live updates between replicas. */
export interface ListenOptions {
  /** A subject or wildcard under `live.` (e.g. `live.notifications.>`). */
  subject: string;
  handler: (body: string, subject: string) => void;
  /** Called after the connection came back: messages sent meanwhile are lost, so listeners catch up from their store. */
  onReconnect?: () => void;
}

export interface EventBus {
  /** Creates or updates every stream of `streamDefinitions` (AUTH, COMPUTE, STORAGE, GATEWAY, ..., DEADLETTER); idempotent. */
  ensureStreams(): Promise<void>;
  /**
   * Validates `data`, stamps the type's catalogue version, then publishes with `Nats-Msg-Id` = eventId so
   * JetStream drops duplicates (2 min window).
   */
  publish<T extends EventType>(type: T, data: EventData<T>, options?: { eventId?: string }): Promise<PublishResult>;
  /**
   * Durable, load-balanced processing: explicit ack, 30 s ack wait, at most 5 deliveries; a message the
   * handler still fails on the last one (or that can never be read) goes to `deadletter.<durable>.<subject>`.
   */
  consume<T extends EventType>(options: ConsumeOptions<T>): Promise<Stoppable>;
  /** Every subscriber sees every event published from now on (ordered consumers, no acks). */
  subscribe<T extends EventType>(options: SubscribeOptions<T>): Promise<Stoppable>;
  /**
   * Sends `body` on a core NATS subject under `live.` (not stored, not acknowledged, lost while disconnected):
   * for live fan-out whose source of truth is elsewhere. Each service may use `live.<its name>.>`.
   */
  broadcast(subject: string, body: string): void;
  /** Receives every `broadcast` on `subject` from now on. */
  listen(options: ListenOptions): Stoppable;
  isConnected(): boolean;
  /** Round trip to the server; rejects when disconnected or slower than 2 s. */
  ping(): Promise<void>;
  /** Stops every consumer and subscription of this bus, then drains and closes the connection. */
  close(): Promise<void>;
}
