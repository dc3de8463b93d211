import { createJsonClient, segment, type ClientOptions } from '../json-client';
import type { ClusterInfo, HealthAlert, MetricsResolution, MetricsSeries, PodMetricsInfo } from './health-types';

export interface SeriesWindow {
  /** Unix milliseconds or RFC 3339; default the last hour. */
  start?: number | string;
  end?: number | string;
  resolution?: MetricsResolution;
}

const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** Typed client for the health service (session cookie or Bearer token). */
export function createHealthApi(options: ClientOptions) {
  const { request } = createJsonClient(options);
  return {
    clusterInfo: () => request<ClusterInfo>('GET', '/cluster-info'),
    podMetrics: () => request<PodMetricsInfo>('GET', '/pod-metrics'),
    nodeSeries: (window: SeriesWindow = {}) => request<MetricsSeries>('GET', `/api/metrics/nodes${query({ ...window })}`),
    nodeSeriesOf: (name: string, window: SeriesWindow = {}) =>
      request<MetricsSeries>('GET', `/api/metrics/nodes/${segment(name)}${query({ ...window })}`),
    podSeries: (window: SeriesWindow & { namespace?: string } = {}) =>
      request<MetricsSeries>('GET', `/api/metrics/pods${query({ ...window })}`),
    alerts: async (filter: { state?: 'firing' | 'resolved'; limit?: number } = {}) =>
      (await request<{ alerts: HealthAlert[] }>('GET', `/api/alerts${query(filter)}`)).alerts,
  };
}

export type HealthApi = ReturnType<typeof createHealthApi>;
