import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { liveHopMetric } from '../live/live-metrics';
import { intakeMetrics } from './intake-metrics';

/** The `_count` and `_sum` lines of the registry's Prometheus text. */
const totals = async (registry: Registry): Promise<string[]> =>
  (await registry.metrics()).split('\n').filter((line) => /_(count|sum)[{ ]/.test(line) && !/seconds_sum/.test(line));

describe('intake and live metrics', () => {
  it('count each stage, batch and hop in the registry they were given', async () => {
    const registry = new Registry();
    const metrics = intakeMetrics(registry);
    const published = new Date(Date.now() - 30).toISOString();
    metrics.delivered(published);
    metrics.batched(published);
    metrics.stored(published);
    metrics.stored(published);
    metrics.batch(3, 0.004);
    liveHopMetric(registry)(Date.now() - 2);
    expect(await totals(registry)).toEqual([
      'notifications_intake_delay_seconds_count{stage="delivered"} 1',
      'notifications_intake_delay_seconds_count{stage="batched"} 1',
      'notifications_intake_delay_seconds_count{stage="stored"} 2',
      'notifications_intake_batch_seconds_count 1',
      'notifications_intake_batch_size_sum 3',
      'notifications_intake_batch_size_count 1',
      'notifications_live_hop_seconds_count 1',
    ]);
  });
});
