import { useQuery } from '@tanstack/react-query';
import { notificationsApi } from './clients';
import { useInvalidatingMutation } from './invalidating-mutation';
import { queryKeys } from './query-keys';

/** The page and the bell's dropdown show the newest ones; the live feed refreshes them (no polling). */
export const NOTIFICATION_PAGE_SIZE = 50;

export const useNotifications = () =>
  useQuery({ queryKey: queryKeys.notificationList, queryFn: () => notificationsApi.list({ limit: NOTIFICATION_PAGE_SIZE }) });

export const useUnreadCount = () => useQuery({ queryKey: queryKeys.unreadCount, queryFn: notificationsApi.unreadCount });

export const useMarkRead = () => useInvalidatingMutation(notificationsApi.markRead, { invalidates: [queryKeys.notifications] });

export const useMarkAllRead = () => useInvalidatingMutation(notificationsApi.markAllRead, { invalidates: [queryKeys.notifications] });

export const useDeleteNotification = () => useInvalidatingMutation(notificationsApi.remove, { invalidates: [queryKeys.notifications] });

export const useMutes = () => useQuery({ queryKey: queryKeys.mutes, queryFn: notificationsApi.listMutes });

export const useMute = () =>
  useInvalidatingMutation((m: { category: string; scope: string }) => notificationsApi.mute(m.category, m.scope), {
    invalidates: [queryKeys.mutes],
  });

export const useUnmute = () =>
  useInvalidatingMutation((m: { category: string; scope: string }) => notificationsApi.unmute(m.category, m.scope), {
    invalidates: [queryKeys.mutes],
  });
