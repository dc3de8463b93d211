import type { Notification } from '@edd/api-contracts';
import type { Database } from '@edd/db';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './rows';

/** A user's notifications, newest first, older than `before` when given. */
export async function listNotifications(db: Database, userId: string, limit: number, before?: number): Promise<Notification[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
      WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [userId, before ?? null, limit],
  );
  return rows.map(toNotification);
}

/** A user's notifications newer than `after`, oldest first: what a socket missed. */
export async function notificationsAfter(db: Database, userId: string, after: number, limit: number): Promise<Notification[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [userId, after, limit],
  );
  return rows.map(toNotification);
}

/** The id of the user's newest notification ever stored (0 when none): where a fresh socket starts. */
export async function lastNotificationId(db: Database, userId: string): Promise<number> {
  const { rows } = await db.query<{ last_id: string }>('SELECT last_id FROM notification_heads WHERE user_id = $1', [userId]);
  return rows[0] ? Number(rows[0].last_id) : 0;
}

export async function unreadCount(db: Database, userId: string): Promise<number> {
  const { rows } = await db.query<{ count: string }>('SELECT count(*) AS count FROM notifications WHERE user_id = $1 AND NOT read', [
    userId,
  ]);
  return Number(rows[0]?.count ?? 0);
}

/** Marks one of the user's notifications read; false when the user has no notification with that id. */
export async function markRead(db: Database, userId: string, id: number): Promise<boolean> {
  const result = await db.query('UPDATE notifications SET read = true WHERE id = $1 AND user_id = $2', [id, userId]);
  return result.rowCount === 1;
}

export async function markAllRead(db: Database, userId: string): Promise<number> {
  const result = await db.query('UPDATE notifications SET read = true WHERE user_id = $1 AND NOT read', [userId]);
  return result.rowCount ?? 0;
}

/** Deletes one of the user's notifications; false when the user has no notification with that id. */
export async function deleteNotification(db: Database, userId: string, id: number): Promise<boolean> {
  const result = await db.query('DELETE FROM notifications WHERE id = $1 AND user_id = $2', [id, userId]);
  return result.rowCount === 1;
}
