import type { Notification } from '@edd/api-client';
import { Link } from 'react-router-dom';
import { formatTime } from '../components/format-time';

/** Title (a link to the thing concerned when there is one), message, category/scope and time. */
export function NotificationText({ notification, onOpen }: { notification: Notification; onOpen?: () => void }) {
  const { title, message, link, category, scope, created_at: createdAt } = notification;
  return (
    <div className="notification-text">
      <strong>
        {link.startsWith('/') ? (
          <Link to={link} onClick={onOpen}>
            {title}
          </Link>
        ) : (
          title
        )}
      </strong>
      {!notification.read && <span className="badge">New</span>}
      {message && <p>{message}</p>}
      <p className="muted">
        {category}
        {scope ? ` / ${scope}` : ''} · {formatTime(createdAt)}
      </p>
    </div>
  );
}
