import { useQuery } from '@tanstack/react-query';
import { healthApi } from '../api/clients';
import { queryKeys } from '../api/query-keys';

/** The ranges the charts offer; each asks the server for the whole window (it picks the roll-up). */
export const RANGES = [
  { id: '1h', label: '1 h', ms: 3600_000 },
  { id: '6h', label: '6 h', ms: 6 * 3600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3600_000 },
  { id: '7d', label: '7 d', ms: 7 * 24 * 3600_000 },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

// Live figures arrive over WS /ws/health (useHealthFeed); these queries give the first state.
export function useClusterInfo(enabled: boolean) {
  return useQuery({ queryKey: queryKeys.clusterInfo, queryFn: healthApi.clusterInfo, enabled });
}

export function usePodMetrics() {
  return useQuery({ queryKey: queryKeys.podMetrics, queryFn: healthApi.podMetrics });
}

export function useNodeSeries(range: RangeId, enabled: boolean) {
  const ms = RANGES.find((r) => r.id === range)?.ms ?? 3600_000;
  return useQuery({
    queryKey: queryKeys.nodeSeries(range),
    queryFn: () => healthApi.nodeSeries({ start: Date.now() - ms, end: Date.now() }),
    enabled,
    // The raw hour gains a point every 5 s; the roll-ups change more slowly.
    refetchInterval: range === '1h' ? 10_000 : 60_000,
  });
}

export function useHealthAlerts() {
  return useQuery({ queryKey: queryKeys.healthAlerts, queryFn: () => healthApi.alerts({ limit: 20 }), refetchInterval: 15_000 });
}
