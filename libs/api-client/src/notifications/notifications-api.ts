import type { Notification, NotificationMute } from '@edd/api-contracts';
import { createJsonClient, type ClientOptions } from '../json-client';

export type { Notification, NotificationFrame, NotificationMute } from '@edd/api-contracts';

/** Typed client for the notifications API (session cookie or Bearer token with `notifications.<user>.*`). */
export function createNotificationsApi(options: ClientOptions) {
  const { request } = createJsonClient(options);
  return {
    /** Newest first; `cursor` is the smallest id already shown (the next page is older). */
    list: (query: { limit?: number; cursor?: number } = {}) => {
      const params = new URLSearchParams();
      if (query.limit !== undefined) params.set('limit', String(query.limit));
      if (query.cursor !== undefined) params.set('cursor', String(query.cursor));
      const qs = params.toString();
      return request<Notification[]>('GET', `/api/notifications${qs ? `?${qs}` : ''}`);
    },
    unreadCount: async () => (await request<{ count: number }>('GET', '/api/notifications/unread-count')).count,
    markRead: (id: number) => request<{ status: 'ok' }>('POST', `/api/notifications/${id}/read`),
    markAllRead: () => request<{ status: 'ok' }>('POST', '/api/notifications/read-all'),
    remove: (id: number) => request<void>('DELETE', `/api/notifications/${id}`),
    listMutes: () => request<NotificationMute[]>('GET', '/api/notifications/mutes'),
    /** An empty scope mutes the whole category. */
    mute: (category: string, scope = '') => request<{ status: 'ok' }>('PUT', '/api/notifications/mutes', { category, scope }),
    unmute: (category: string, scope = '') => request<{ status: 'ok' }>('DELETE', '/api/notifications/mutes', { category, scope }),
  };
}

export type NotificationsApi = ReturnType<typeof createNotificationsApi>;
