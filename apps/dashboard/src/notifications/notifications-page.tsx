import { useState } from 'react';
import {
  useDeleteNotification,
  useMarkAllRead,
  useMarkRead,
  useMute,
  useMutes,
  useNotifications,
  useUnmute,
} from '../api/notification-queries';
import { Panel } from '../components/panel';
import { ErrorNotice, QueryState } from '../components/query-state';
import { NotificationText } from './notification-item';

export function NotificationsPage() {
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const remove = useDeleteNotification();
  const mute = useMute();
  const failed = markRead.error ?? markAllRead.error ?? remove.error ?? mute.error;

  return (
    <div className="page">
      <Panel
        title="Notifications"
        description="What the platform's services told you. New ones arrive live."
        actions={
          <button type="button" className="button button-secondary" disabled={markAllRead.isPending} onClick={() => markAllRead.mutate()}>
            Mark all read
          </button>
        }
      >
        {failed && <ErrorNotice error={failed} />}
        <QueryState query={list} label="Loading notifications…">
          {(items) =>
            items.length === 0 ? (
              <p className="muted">No notifications.</p>
            ) : (
              <ul className="plain-list" aria-label="Notifications">
                {items.map((n) => (
                  <li key={n.id} className={n.read ? 'notification read' : 'notification'} data-testid="notification">
                    <NotificationText notification={n} onOpen={() => !n.read && markRead.mutate(n.id)} />
                    <div className="form-inline">
                      {!n.read && (
                        <button type="button" className="button button-secondary" onClick={() => markRead.mutate(n.id)}>
                          Mark read
                        </button>
                      )}
                      <button
                        type="button"
                        className="button button-secondary"
                        onClick={() => mute.mutate({ category: n.category, scope: '' })}
                      >
                        Mute {n.category}
                      </button>
                      <button type="button" className="button button-danger-outline" onClick={() => remove.mutate(n.id)}>
                        Delete
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
      </Panel>
      <MuteSettings />
    </div>
  );
}

/** Muted categories (every scope) and category/scope pairs: such notifications are dropped on arrival. */
function MuteSettings() {
  const mutes = useMutes();
  const mute = useMute();
  const unmute = useUnmute();
  const [category, setCategory] = useState('');
  const [scope, setScope] = useState('');

  return (
    <Panel title="Muted" description="Notifications of a muted category (or only one scope of it) are not kept.">
      {(mute.error ?? unmute.error) && <ErrorNotice error={mute.error ?? unmute.error} />}
      <form
        className="form-inline"
        onSubmit={(event) => {
          event.preventDefault();
          mute.mutate({ category: category.trim(), scope: scope.trim() }, { onSuccess: () => (setCategory(''), setScope('')) });
        }}
      >
        <label className="field">
          <span className="label-text">Category</span>
          <input value={category} onChange={(e) => setCategory(e.target.value)} placeholder="compute" required />
        </label>
        <label className="field">
          <span className="label-text">Scope (empty: the whole category)</span>
          <input value={scope} onChange={(e) => setScope(e.target.value)} placeholder="e.g. a namespace" />
        </label>
        <button type="submit" className="button" disabled={mute.isPending}>
          Mute
        </button>
      </form>
      <QueryState query={mutes} label="Loading mutes…">
        {(items) =>
          items.length === 0 ? (
            <p className="muted">Nothing is muted.</p>
          ) : (
            <ul className="plain-list" aria-label="Muted">
              {items.map((m) => (
                <li key={m.id} data-testid="mute">
                  <span>
                    {m.category}
                    {m.scope ? ` / ${m.scope}` : ' (all)'}
                  </span>{' '}
                  <button type="button" className="link-button" onClick={() => unmute.mutate({ category: m.category, scope: m.scope })}>
                    Unmute {m.category}
                    {m.scope ? ` / ${m.scope}` : ''}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
    </Panel>
  );
}
