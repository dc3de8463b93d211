import type { Container } from '@edd/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { queryKeys } from '../api/query-keys';
import { applyStatusChange, parseComputeLiveMessage, withStatus } from './live-messages';

export type FeedState = 'connecting' | 'live' | 'reconnecting';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Follows `WS /compute/ws` while the Compute section is open: the first message replaces the container list, each
 * status change then updates the list and the container's own page in the query cache. A dropped connection is
 * retried with a growing delay (1 s, 2 s, 4 s … 30 s); each attempt asks for a new ticket.
 */
export function useContainerFeed(): FeedState {
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
      const message = parseComputeLiveMessage(event.data);
      if (!message) return;
      if (message.type === 'containers') {
        queryClient.setQueryData<Container[]>(queryKeys.containers, message.data);
        for (const container of message.data) {
          queryClient.setQueryData<Container>(queryKeys.container(container.id), (old) => (old ? { ...old, ...container } : old));
        }
        return;
      }
      const change = message.data;
      const list = queryClient.getQueryData<Container[]>(queryKeys.containers);
      // A container this page has not seen yet (created elsewhere): fetch the list again.
      if (change.status !== 'deleted' && !list?.some((c) => c.id === change.container_id)) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.containers });
      } else if (list) {
        queryClient.setQueryData<Container[]>(queryKeys.containers, applyStatusChange(list, change));
      }
      queryClient.setQueryData<Container>(queryKeys.container(change.container_id), (old) => (old ? withStatus(old, change) : old));
      // Usage figures appear only on a running container's GET.
      if (change.status === 'running')
        void queryClient.invalidateQueries({ queryKey: queryKeys.container(change.container_id), exact: true });
    };

    const connect = async () => {
      try {
        socket = await openLiveSocket('compute', '/compute/ws');
      } catch {
        return retryLater();
      }
      if (stopped) return socket.close();
      socket.onopen = () => {
        attempt = 0;
        setState('live');
      };
      socket.onmessage = onMessage;
      socket.onclose = retryLater;
    };

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, [queryClient]);

  return state;
}
