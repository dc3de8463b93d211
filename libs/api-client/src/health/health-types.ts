// The health service's answers: the zod-inferred types of @edd/api-contracts (the service builds them too).
export type {
  ClusterInfo,
  HealthAlert,
  HealthLiveMessage,
  HealthNode,
  MetricsResolution,
  MetricsSeries,
  PodMetrics,
  PodMetricsInfo,
  SeriesPoint,
} from '@edd/api-contracts';
