import type { ClusterInfo, PodMetricsInfo } from '@edd/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { queryKeys } from '../api/query-keys';
import { parseHealthLiveMessage } from './live-messages';

export type FeedState = 'connecting' | 'live' | 'reconnecting';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Follows `WS /ws/health` while the Health page is open: every sample (5 s) replaces the cluster figures (admins) and
 * the caller's containers in the query cache. A dropped connection is retried with a growing delay and a new ticket.
 */
export function useHealthFeed(): FeedState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<FeedState>('connecting');

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const retryLater = () => {
      if (stopped) return;
      setState('reconnecting');
      retryTimer = setTimeout(() => void connect(), Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** attempt++));
    };

    const onMessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const message = parseHealthLiveMessage(event.data);
      if (message?.type === 'cluster') queryClient.setQueryData<ClusterInfo>(queryKeys.clusterInfo, message.payload);
      if (message?.type === 'pods') queryClient.setQueryData<PodMetricsInfo>(queryKeys.podMetrics, message.payload);
    };

    const connect = async () => {
      try {
        socket = await openLiveSocket('health', '/ws/health');
      } catch {
        return retryLater();
      }
      if (stopped) return socket.close();
      socket.addEventListener('open', () => {
        attempt = 0;
        setState('live');
      });
      socket.addEventListener('message', onMessage);
      socket.addEventListener('close', retryLater);
    };

    void connect();
    return () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.removeEventListener('close', retryLater);
      socket?.close();
    };
  }, [queryClient]);

  return state;
}
