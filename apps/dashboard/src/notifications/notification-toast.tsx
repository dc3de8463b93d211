import type { Notification } from '@edd/api-client';
import { useCallback, useEffect, useState } from 'react';
import { useNotificationFeed } from './use-notification-feed';

const TOAST_MS = 5_000;

/** Follows the live feed and shows each arriving notification briefly (a polite live region: screen readers announce it). */
export function NotificationToasts() {
  const [toasts, setToasts] = useState<Notification[]>([]);
  const onArrival = useCallback((n: Notification) => setToasts((list) => [...list.slice(-2), n]), []);
  useNotificationFeed(onArrival);

  useEffect(() => {
    if (toasts.length === 0) return;
    const timer = setTimeout(() => setToasts((list) => list.slice(1)), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toasts]);

  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((n) => (
        <div key={n.id} className="toast" data-testid="notification-toast">
          <strong>{n.title}</strong>
          {n.message && <span> — {n.message}</span>}
        </div>
      ))}
    </div>
  );
}
