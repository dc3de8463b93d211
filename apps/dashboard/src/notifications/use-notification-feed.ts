import type { Notification } from '@edd/api-client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { openLiveSocket } from '../api/live-socket';
import { queryKeys } from '../api/query-keys';
import { parseNotificationFrame } from './notification-frames';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Follows `WS /ws/notifications` while signed in: each new notification refreshes the bell and the lists and is
 * handed to `onArrival` (the toast). A dropped connection is retried with a growing delay and resumes after the
 * last id received (`?after=`), so nothing is missed or shown twice.
 */
export function useNotificationFeed(onArrival: (notification: Notification) => void): void {
  const queryClient = useQueryClient();
  const arrival = useRef(onArrival);
  arrival.current = onArrival;

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let lastId: number | undefined;

    const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications });

    const retryLater = () => {
      if (stopped) return;
      retryTimer = setTimeout(() => void connect(), Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** attempt++));
    };

    const connect = async () => {
      try {
        socket = await openLiveSocket('notifications', '/ws/notifications', lastId === undefined ? {} : { after: String(lastId) });
      } catch {
        return retryLater();
      }
      if (stopped) return socket.close();
      socket.onopen = () => {
        attempt = 0;
        refresh(); // what changed while disconnected
      };
      socket.onmessage = (event: MessageEvent) => {
        const frame = parseNotificationFrame(event.data);
        if (!frame) return;
        if (frame.type === 'notification') {
          lastId = frame.notification.id;
          arrival.current(frame.notification);
        }
        refresh();
      };
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
}
