import { Histogram, type Registry } from 'prom-client';

// Fine between 1 and 100 ms, where the 50 ms target's p99 lives: a coarse 20-50 ms bucket hid which stage grew.
const DELAY_BUCKETS = [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128];

/** Where an event's time goes in the intake: what `/metrics` shows to find a latency's cause without logs. */
export interface IntakeMetrics {
  /** The event reached the handler (delivery from JetStream), from its publish time (`meta.timestamp`). */
  delivered(publishedAt: string): void;
  /** The event's batch went to PostgreSQL (after waiting for a free slot, or for its user's batch in flight). */
  batched(publishedAt: string): void;
  /** The event's transaction committed, from its publish time. */
  stored(publishedAt: string): void;
  /** One round trip to PostgreSQL for `size` events: statement and commit. */
  batch(size: number, seconds: number): void;
}

const sinceSeconds = (iso: string): number => Math.max(0, (Date.now() - Date.parse(iso)) / 1000);

export function intakeMetrics(registry: Registry | undefined): IntakeMetrics {
  if (!registry) return { delivered: () => undefined, batched: () => undefined, stored: () => undefined, batch: () => undefined };
  const delay = new Histogram({
    name: 'notifications_intake_delay_seconds',
    help: 'From an event being published to a stage of its intake: delivered (handler called), batched (its batch sent), stored (committed).',
    labelNames: ['stage'] as const,
    buckets: DELAY_BUCKETS,
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'notifications_intake_batch_seconds',
    help: 'One take-in round trip to PostgreSQL (statement and commit of a batch).',
    buckets: DELAY_BUCKETS,
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'notifications_intake_batch_size',
    help: 'Events taken in by one round trip.',
    buckets: BATCH_SIZE_BUCKETS,
    registers: [registry],
  });
  return {
    delivered: (publishedAt) => delay.observe({ stage: 'delivered' }, sinceSeconds(publishedAt)),
    batched: (publishedAt) => delay.observe({ stage: 'batched' }, sinceSeconds(publishedAt)),
    stored: (publishedAt) => delay.observe({ stage: 'stored' }, sinceSeconds(publishedAt)),
    batch: (size, seconds) => {
      batchSize.observe(size);
      batchSeconds.observe(seconds);
    },
  };
}
