import { describe, expect, it } from 'vitest';
import { healthAlertListResponseSchema, healthLiveMessageSchema, metricsSeriesSchema } from '../src';

const node = {
  name: 'node-a',
  cpu_usage: '500m',
  memory_usage: '4194304Ki',
  cpu_capacity: '2000m',
  memory_capacity: '16777216Ki',
  cpu_percent: 25,
  memory_percent: 25,
  disk_capacity: 100,
  disk_usage: 20,
  disk_percent: 20,
  conditions: [{ type: 'Ready', status: 'True' }],
};

describe('health contracts', () => {
  it('reads the live frames and refuses an unknown type or a node missing a figure', () => {
    expect(healthLiveMessageSchema.parse({ type: 'cluster', payload: { timestamp: 't', nodes: [{ ...node, load_1: 0.5 }] } }).type).toBe(
      'cluster',
    );
    expect(healthLiveMessageSchema.safeParse({ type: 'pods', payload: { timestamp: 't', pods: [] } }).success).toBe(true);
    expect(healthLiveMessageSchema.safeParse({ type: 'other', payload: {} }).success).toBe(false);
    const { cpu_percent: _dropped, ...partial } = node;
    expect(healthLiveMessageSchema.safeParse({ type: 'cluster', payload: { timestamp: 't', nodes: [partial] } }).success).toBe(false);
  });

  it('takes only the known resolutions and alert states', () => {
    const series = { start: 's', end: 'e', resolution: '5m', series: { 'node-a': [{ t: 1, cpu: 2, mem: 3, disk: 4 }] } };
    expect(metricsSeriesSchema.safeParse(series).success).toBe(true);
    expect(metricsSeriesSchema.safeParse({ ...series, resolution: '2m' }).success).toBe(false);
    const alert = {
      id: 'a1',
      rule: 'node_cpu',
      severity: 'critical',
      state: 'firing',
      title: 'CPU',
      message: 'high',
      subject: 'node-a',
      owner_id: null,
      fired_at: 'now',
      resolved_at: null,
      notified: true,
    };
    expect(healthAlertListResponseSchema.safeParse({ alerts: [alert] }).success).toBe(true);
    expect(healthAlertListResponseSchema.safeParse({ alerts: [{ ...alert, state: 'silenced' }] }).success).toBe(false);
  });
});
