/**
 * The JetStream streams and the subjects each one stores. The NATS-specific settings (retention, storage,
 * max age) live with the bus in @edd/events; this map is what contracts, permissions and tests reason about.
 */
export const eventStreams = {
  AUTH: 'auth.>',
  COMPUTE: 'compute.>',
  STORAGE: 'storage.>',
  GATEWAY: 'gateway.>',
  NOTIFICATIONS: 'notify.>',
  CLUSTER: 'cluster.>',
  LOGS: 'log.>',
  /**
   * The log service's live tier: every log entry (batched, a JSON array per message), bounded by count and age.
   * Records, not events: no event type lives here (see @edd/events record-stream.ts).
   */
  LOGTAIL: 'logtail.>',
  /** Messages a durable consumer gave up on (see dead-letter.ts); not an event type of its own. */
  DEADLETTER: 'deadletter.>',
} as const;

export type StreamName = keyof typeof eventStreams;

export const streamNames = Object.keys(eventStreams) as StreamName[];
