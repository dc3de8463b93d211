import type { IncomingMessage } from 'node:http';
import { notificationIdSchema } from '@edd/api-contracts';
import { canAccess } from '@edd/auth-client';
import type { Stoppable } from '@edd/events';
import type { WebSocketEndpoint } from '@edd/live';
import { lastNotificationId, notificationsAfter } from '../data/notifications';
import type { NotificationsDeps } from '../context';
import { inboxScope } from '../routes/scopes';
import { liveHopMetric } from './live-metrics';
import { decodeLiveMessage, DEFAULT_LIVE_CHANNEL, liveSubjects, userOfLiveSubject } from './live-messages';
import { SocketFeed } from './socket-feed';
import { UserSockets } from './user-sockets';

export const NOTIFICATIONS_SOCKET_PATH = '/ws/notifications';

export interface NotificationsSocketOptions {
  /** Sockets one user may keep open on one replica (default 10). */
  maxPerUser?: number;
  /** Per-socket send queue bound; a socket further behind is dropped (default 256 KiB). */
  maxBufferedBytes?: number;
  pingIntervalMs?: number;
  /** Core NATS channel shared with the intake (default `live.notifications`). */
  liveChannel?: string;
}

export interface NotificationsSocket {
  endpoint: WebSocketEndpoint;
  sockets: UserSockets;
  /** Stops listening to the other replicas (the hub closes the sockets). */
  listening: Stoppable;
}

/** `?after=<id>`: the last id the client saw; it first receives everything newer. Absent: those stored once the socket is open. */
function requestedCursor(req: IncomingMessage): number | undefined | 'invalid' {
  const after = new URL(req.url ?? '/', 'http://localhost').searchParams.get('after');
  if (after === null || after === '') return undefined;
  if (after === '0') return 0;
  const parsed = notificationIdSchema.safeParse(after);
  return parsed.success ? parsed.data : 'invalid';
}

/**
 * `WS /ws/notifications`: every new notification of the user, exactly once per socket and in id order, whichever
 * replica took it in (replicas tell each other through core NATS, `live.notifications.<userId>`).
 */
export function mountNotificationsSocket(deps: NotificationsDeps, options: NotificationsSocketOptions = {}): NotificationsSocket {
  const sockets = new UserSockets(options.maxPerUser ?? 10);
  const readAfter = (userId: string, after: number, limit: number) => notificationsAfter(deps.db, userId, after, limit);
  // Without ?after, the newest id read before the 101 is sent: once a client sees its socket open, everything stored
  // later reaches it (read after the upgrade, a notification stored meanwhile would be neither caught up nor sent).
  const startCursors = new WeakMap<IncomingMessage, number>();
  const endpoint = deps.live.websocket({
    path: NOTIFICATIONS_SOCKET_PATH,
    auth: deps.liveAuth,
    maxPayload: 1024, // the client has nothing to say
    maxBufferedBytes: options.maxBufferedBytes ?? 256 * 1024,
    ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
    logger: deps.logger,
    // A token needs read on the inbox; a session always passes.
    authorize: async (principal, req) => {
      if (!canAccess(principal, inboxScope(principal.userId), 'read')) return false;
      if (requestedCursor(req) === undefined) startCursors.set(req, await lastNotificationId(deps.db, principal.userId));
      return true;
    },
    onConnection: async (socket, principal, req) => {
      const requested = requestedCursor(req);
      if (requested === 'invalid') {
        socket.close(1008, 'after: a notification id');
        return;
      }
      const userId = principal.userId;
      const onError = (error: unknown) => {
        deps.logger.warn('notification catch-up failed; closing the socket so the client resumes', { userId, error: String(error) });
        socket.close(1011, 'catch-up failed');
      };
      // Registered, then caught up from the cursor: nothing stored since the cursor was read is missed.
      const feed = new SocketFeed(socket, userId, Number.MAX_SAFE_INTEGER, readAfter, onError);
      sockets.add(feed);
      socket.raw.once('close', () => sockets.remove(socket, userId));
      const cursor = requested ?? startCursors.get(req) ?? (await lastNotificationId(deps.db, userId));
      feed.start(cursor);
    },
  });
  const channel = options.liveChannel ?? DEFAULT_LIVE_CHANNEL;
  const hop = liveHopMetric(deps.metrics);
  const listening = deps.bus.listen({
    subject: liveSubjects(channel),
    handler: (body, subject) => {
      // Every replica hears every user's messages: decode only those of users with a socket here.
      const userId = userOfLiveSubject(channel, subject);
      if (userId === undefined || !sockets.hasUser(userId)) return;
      const message = decodeLiveMessage(body);
      if (!message) return;
      if (message.kind === 'stored' && message.sentAt !== undefined) hop(message.sentAt);
      sockets.deliver(message);
    },
    onReconnect: () => sockets.catchUpAll(),
  });
  return { endpoint, sockets, listening };
}
