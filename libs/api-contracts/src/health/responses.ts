import { z } from 'zod';

// The health service's answers (docs/api/health.md), snake_case like every health answer.

/** A node: `cpu_*`/`memory_*` usage and capacity as Kubernetes quantities (`1250m`, `6520332Ki`), the rest numbers. */
export const healthNodeSchema = z.object({
  name: z.string(),
  cpu_usage: z.string(),
  memory_usage: z.string(),
  cpu_capacity: z.string(),
  memory_capacity: z.string(),
  cpu_percent: z.number(),
  memory_percent: z.number(),
  disk_capacity: z.number(),
  disk_usage: z.number(),
  disk_percent: z.number(),
  conditions: z.array(z.object({ type: z.string(), status: z.string() })),
  load_1: z.number().optional(),
  network_rx_bytes_per_sec: z.number().optional(),
  network_tx_bytes_per_sec: z.number().optional(),
});
export type HealthNode = z.infer<typeof healthNodeSchema>;

/** `GET /cluster-info`. */
export const clusterInfoSchema = z.object({ timestamp: z.string(), nodes: z.array(healthNodeSchema) });
export type ClusterInfo = z.infer<typeof clusterInfoSchema>;

/** A pod: usage and capacity in nanocores and bytes. */
export const podMetricsSchema = z.object({
  name: z.string(),
  namespace: z.string(),
  node: z.string(),
  owner_id: z.string().nullable(),
  container_id: z.string().nullable(),
  phase: z.string(),
  restarts: z.number().int(),
  cpu_usage: z.number(),
  memory_usage: z.number(),
  disk_usage: z.number(),
  cpu_capacity: z.number(),
  memory_capacity: z.number(),
  disk_capacity: z.number(),
});
export type PodMetrics = z.infer<typeof podMetricsSchema>;

/** `GET /pod-metrics`: the pods the caller may see. */
export const podMetricsInfoSchema = z.object({ timestamp: z.string(), pods: z.array(podMetricsSchema) });
export type PodMetricsInfo = z.infer<typeof podMetricsInfoSchema>;

export const metricsResolutionSchema = z.enum(['raw', '1m', '5m', '15m']);
export type MetricsResolution = z.infer<typeof metricsResolutionSchema>;

/** One point of a history series: `t` in Unix milliseconds. */
export const seriesPointSchema = z.object({ t: z.number(), cpu: z.number(), mem: z.number(), disk: z.number() });
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

/** `GET /api/metrics/nodes[/:name]`, `GET /api/metrics/pods`: points per node or pod in the window. */
export const metricsSeriesSchema = z.object({
  start: z.string(),
  end: z.string(),
  resolution: metricsResolutionSchema,
  series: z.record(z.string(), z.array(seriesPointSchema)),
});
export type MetricsSeries = z.infer<typeof metricsSeriesSchema>;

/** An alert (`GET /api/alerts`, the webhook body's `alert`). */
export const healthAlertSchema = z.object({
  id: z.string(),
  rule: z.string(),
  severity: z.enum(['warning', 'critical']),
  state: z.enum(['firing', 'resolved']),
  title: z.string(),
  message: z.string(),
  subject: z.string(),
  owner_id: z.string().nullable(),
  fired_at: z.string(),
  resolved_at: z.string().nullable(),
  notified: z.boolean(),
});
export type HealthAlert = z.infer<typeof healthAlertSchema>;

export const healthAlertListResponseSchema = z.object({ alerts: z.array(healthAlertSchema) });

/** `WS /ws/health` and `GET /sse/health` messages. */
export const healthLiveMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cluster'), payload: clusterInfoSchema }),
  z.object({ type: z.literal('pods'), payload: podMetricsInfoSchema }),
]);
export type HealthLiveMessage = z.infer<typeof healthLiveMessageSchema>;
