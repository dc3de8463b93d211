import type { Container } from '@edd/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../api/query-keys';
import { useLiveSocket, type FeedState } from '../api/use-live-socket';
import { applyStatusChange, parseComputeLiveMessage, withStatus } from './live-messages';

export type { FeedState } from '../api/use-live-socket';

/**
 * Follows `WS /compute/ws` while the Compute section is open: the first message replaces the container list, each
 * status change then updates the list and the container's own page in the query cache.
 */
export function useContainerFeed(): FeedState {
  const queryClient = useQueryClient();
  return useLiveSocket('compute', '/compute/ws', {
    onMessage: (event) => {
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
    },
  });
}
