import type { Notification } from '@edd/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { queryKeys } from '../api/query-keys';
import { useLiveSocket, type FeedState } from '../api/use-live-socket';
import { parseNotificationFrame } from './notification-frames';

/**
 * Follows `WS /ws/notifications` while signed in: each new notification refreshes the bell and the lists and is
 * handed to `onArrival` (the toast). A dropped connection resumes after the last id received (`?after=`), so nothing
 * is missed or shown twice. Answers the connection's state: once `live`, every notification stored later arrives.
 */
export function useNotificationFeed(onArrival: (notification: Notification) => void): FeedState {
  const queryClient = useQueryClient();
  const lastId = useRef<number | undefined>(undefined);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications });

  return useLiveSocket('notifications', '/ws/notifications', {
    params: (): Record<string, string> => (lastId.current === undefined ? {} : { after: String(lastId.current) }),
    onOpen: refresh, // what changed while disconnected
    onMessage: (event) => {
      const frame = parseNotificationFrame(event.data);
      if (!frame) return;
      if (frame.type === 'notification') {
        lastId.current = frame.notification.id;
        onArrival(frame.notification);
      }
      refresh();
    },
  });
}
