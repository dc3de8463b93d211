import { percentileOfSorted } from './stats';
import { bucketPercentile, bucketsBetween, histogramMean, parseHistogram, type Buckets } from './prom-histogram';

/** One line of the breakdown: p50 / p99 of a stage, in ms; for `unit: 'events'` the mean over the whole run and the p99. */
export interface Stage {
  stage: string;
  p50: number;
  p99: number;
  unit: 'ms' | 'events';
}

/**
 * Where publish → receipt goes, stage by stage: the publisher's own ack times (exact) and the replicas' histograms
 * over the measured phase (bucket estimates, summed over both replicas). Stages from "publish" overlap: each
 * includes the ones before it. `ackMs` is in ascending order.
 */
export function stageBreakdown(ackMs: readonly number[], metricsBefore: string, metricsAfter: string): Stage[] {
  const between = (name: string, labels: Record<string, string> = {}): Buckets =>
    bucketsBetween(parseHistogram(metricsBefore, name, labels), parseHistogram(metricsAfter, name, labels));
  const seconds = (stage: string, buckets: Buckets): Stage => ({
    stage,
    p50: bucketPercentile(buckets, 50) * 1000,
    p99: bucketPercentile(buckets, 99) * 1000,
    unit: 'ms',
  });
  const batchSize = between('notifications_intake_batch_size');
  // Sizes are small integers, where a bucket estimate of the median says little: the mean (whole run) says more.
  const meanBatch = histogramMean(metricsAfter, 'notifications_intake_batch_size');
  return [
    { stage: 'publish → JetStream ack (publisher)', p50: percentileOfSorted(ackMs, 50), p99: percentileOfSorted(ackMs, 99), unit: 'ms' },
    seconds('publish → intake handler called', between('notifications_intake_delay_seconds', { stage: 'delivered' })),
    seconds('publish → its batch sent to PostgreSQL', between('notifications_intake_delay_seconds', { stage: 'batched' })),
    seconds('publish → committed', between('notifications_intake_delay_seconds', { stage: 'stored' })),
    seconds('one take-in round trip (statement + commit)', between('notifications_intake_batch_seconds')),
    {
      stage: 'events per take-in round trip (mean of the whole run; p99)',
      p50: meanBatch,
      p99: bucketPercentile(batchSize, 99),
      unit: 'events',
    },
    seconds('broadcast → a replica hears it (each replica, own included)', between('notifications_live_hop_seconds')),
  ];
}

/**
 * The replicas' GC pauses over the measured phase (prom-client's default `nodejs_gc_duration_seconds`, summed over
 * both): how many, and how many took 10 ms or more (its buckets are too coarse for percentiles).
 */
export function gcPauses(metricsBefore: string, metricsAfter: string): { count: number; atLeast10ms: number } {
  const name = 'nodejs_gc_duration_seconds';
  const buckets = bucketsBetween(parseHistogram(metricsBefore, name), parseHistogram(metricsAfter, name));
  const count = buckets.at(-1)?.count ?? 0;
  const under10ms = buckets.find((b) => b.le === 0.01)?.count ?? count;
  return { count, atLeast10ms: count - under10ms };
}
