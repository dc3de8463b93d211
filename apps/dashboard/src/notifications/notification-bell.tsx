import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useMarkRead, useNotifications, useUnreadCount } from '../api/notification-queries';
import { NotificationText } from './notification-item';

const LATEST = 5;

/** The top bar's bell: the live unread count, and a dropdown of the latest notifications. */
export function NotificationBell() {
  const count = useUnreadCount();
  const list = useNotifications();
  const markRead = useMarkRead();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const unread = count.data ?? 0;

  // Closes on a click elsewhere or Escape.
  useEffect(() => {
    if (!open) return;
    const onClick = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onClick);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onClick);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="bell" ref={box}>
      <button
        type="button"
        className="button button-secondary bell-button"
        aria-expanded={open}
        aria-controls="bell-dropdown"
        aria-label={`Notifications, ${unread} unread`}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">🔔</span>
        <span className="bell-count" data-testid="unread-count">
          {unread}
        </span>
      </button>
      {open && (
        <div id="bell-dropdown" className="bell-dropdown" role="region" aria-label="Latest notifications">
          {(list.data ?? []).length === 0 ? (
            <p className="muted">No notifications.</p>
          ) : (
            <ul className="plain-list">
              {(list.data ?? []).slice(0, LATEST).map((n) => (
                <li key={n.id} className={n.read ? 'notification read' : 'notification'}>
                  <NotificationText
                    notification={n}
                    onOpen={() => {
                      if (!n.read) markRead.mutate(n.id);
                      setOpen(false);
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
          <Link to="/notifications" onClick={() => setOpen(false)}>
            All notifications
          </Link>
        </div>
      )}
    </div>
  );
}
