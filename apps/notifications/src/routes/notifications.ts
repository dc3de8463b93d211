import { notificationIdSchema, notificationListQuerySchema } from '@edd/api-contracts';
import { requireScope } from '@edd/auth-client';
import { HttpError, parseBody } from '@edd/http';
import type { Express, Request } from 'express';
import type { NotificationsDeps } from '../context';
import { deleteNotification, listNotifications, markAllRead, markRead, unreadCount } from '../data/notifications';
import { DEFAULT_LIVE_CHANNEL, encodeLiveMessage, liveSubject } from '../live/live-messages';
import { inboxScope, userOf } from './scopes';

const inbox = (req: Request) => inboxScope(userOf(req));

function idOf(req: Request): number {
  const parsed = notificationIdSchema.safeParse(req.params['id']);
  if (!parsed.success) throw new HttpError('invalid_request', 'id: a notification id (a positive integer)');
  return parsed.data;
}

function notFound(): HttpError {
  return new HttpError('not_found', 'no such notification');
}

/** `/api/notifications`: the user's own notifications; an API token needs `notifications.<user>.inbox`. */
export function mountNotificationRoutes(app: Express, deps: NotificationsDeps, liveChannel = DEFAULT_LIVE_CHANNEL): void {
  // Other tabs of the user refetch; a lost message only delays that until their next refresh.
  const changed = (userId: string) => {
    try {
      deps.bus.broadcast(liveSubject(liveChannel, userId), encodeLiveMessage({ kind: 'changed', userId }));
    } catch (error) {
      deps.logger.debug('changed broadcast failed', { error: String(error) });
    }
  };

  app.get('/api/notifications', requireScope(inbox, 'read'), async (req, res) => {
    const query = parseBody(notificationListQuerySchema, req.query);
    res.json(await listNotifications(deps.db, userOf(req), query.limit, query.cursor));
  });

  app.get('/api/notifications/unread-count', requireScope(inbox, 'read'), async (req, res) => {
    res.json({ count: await unreadCount(deps.db, userOf(req)) });
  });

  app.post('/api/notifications/read-all', requireScope(inbox, 'update'), async (req, res) => {
    if ((await markAllRead(deps.db, userOf(req))) > 0) changed(userOf(req));
    res.json({ status: 'ok' });
  });

  app.post('/api/notifications/:id/read', requireScope(inbox, 'update'), async (req, res) => {
    if (!(await markRead(deps.db, userOf(req), idOf(req)))) throw notFound();
    changed(userOf(req));
    res.json({ status: 'ok' });
  });

  app.delete('/api/notifications/:id', requireScope(inbox, 'delete'), async (req, res) => {
    if (!(await deleteNotification(deps.db, userOf(req), idOf(req)))) throw notFound();
    changed(userOf(req));
    res.status(204).end();
  });
}
