import type { Notification, NotificationMute } from '@edd/api-contracts';

export interface NotificationRow {
  id: string; // bigint: pg returns it as a string
  user_id: string;
  title: string;
  message: string;
  link: string;
  category: string;
  scope: string;
  read: boolean;
  created_at: Date;
}

export const NOTIFICATION_COLUMNS = 'id, user_id, title, message, link, category, scope, read, created_at';

export function toNotification(row: NotificationRow): Notification {
  return {
    id: Number(row.id),
    user_id: row.user_id,
    title: row.title,
    message: row.message,
    link: row.link,
    category: row.category,
    scope: row.scope,
    read: row.read,
    created_at: row.created_at.toISOString(),
  };
}

export interface MuteRow {
  id: string;
  user_id: string;
  category: string;
  scope: string;
  created_at: Date;
}

export function toMute(row: MuteRow): NotificationMute {
  return { id: Number(row.id), user_id: row.user_id, category: row.category, scope: row.scope, created_at: row.created_at.toISOString() };
}
