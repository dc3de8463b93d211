import type { Notification } from '@edd/api-client';
import { useCallback, useEffect, useState } from 'react';
import { useNotificationFeed } from './use-notification-feed';

/** How long the oldest toast stays once nobody points at the toasts: long enough to read a title and a line. */
const TOAST_MS = 6_000;
const MAX_TOASTS = 3;

/**
 * Follows the live feed and shows each arriving notification for a while (a polite live region: screen readers
 * announce it). Pointing at the toasts holds them, so one being read does not vanish; leaving gives the oldest its
 * full time again. `data-feed` tells whether the feed is live (a notification stored from then on shows up here).
 */
export function NotificationToasts() {
  const [toasts, setToasts] = useState<Notification[]>([]);
  const [held, setHeld] = useState(false);
  const onArrival = useCallback((n: Notification) => setToasts((list) => [...list.slice(1 - MAX_TOASTS), n]), []);
  const feed = useNotificationFeed(onArrival);

  useEffect(() => {
    if (toasts.length === 0 || held) return;
    const timer = setTimeout(() => setToasts((list) => list.slice(1)), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toasts, held]);

  return (
    <div
      className="toasts"
      aria-live="polite"
      data-testid="notification-toasts"
      data-feed={feed}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
    >
      {toasts.map((n) => (
        <div key={n.id} className="toast" data-testid="notification-toast">
          <strong>{n.title}</strong>
          {n.message && <span> — {n.message}</span>}
        </div>
      ))}
    </div>
  );
}
