import type { ClusterInfo, PodMetricsInfo } from '@edd/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/query-keys';
import { useLiveSocket, type FeedState } from '../api/use-live-socket';
import { parseHealthLiveMessage } from './live-messages';

export type { FeedState } from '../api/use-live-socket';

/**
 * Follows `WS /ws/health` while the Health page is open: every sample (5 s) replaces the cluster figures (admins) and
 * the caller's containers in the query cache.
 */
export function useHealthFeed(): FeedState {
  const queryClient = useQueryClient();
  return useLiveSocket('health', '/ws/health', {
    onMessage: (event) => {
      if (typeof event.data !== 'string') return;
      const message = parseHealthLiveMessage(event.data);
      if (message?.type === 'cluster') queryClient.setQueryData<ClusterInfo>(queryKeys.clusterInfo, message.payload);
      if (message?.type === 'pods') queryClient.setQueryData<PodMetricsInfo>(queryKeys.podMetrics, message.payload);
    },
  });
}
