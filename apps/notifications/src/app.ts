import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { NotificationsDeps } from './context';
import { mountNotificationsSocket, type NotificationsSocketOptions } from './live/notifications-socket';
import { mountMuteRoutes } from './routes/mutes';
import { mountNotificationRoutes } from './routes/notifications';

/**
 * Notifications: every service's events reach the right person live, exactly once. The REST routes read and
 * change the user's stored notifications; `WS /ws/notifications` pushes new ones (see src/live).
 */
export function createApp(deps: NotificationsDeps, socketOptions: NotificationsSocketOptions = {}) {
  const socket = mountNotificationsSocket(deps, socketOptions);
  const app = createServiceApp(serviceAppOptions('notifications', deps), (routes) => {
    mountMuteRoutes(routes, deps); // before /:id routes
    mountNotificationRoutes(routes, deps, socketOptions.liveChannel);
  });
  return Object.assign(app, { notificationsSocket: socket });
}
