import type { NotificationMute } from '@edd/api-contracts';
import type { Database } from '@edd/db';
import { toMute, type MuteRow } from './rows';

export async function listMutes(db: Database, userId: string): Promise<NotificationMute[]> {
  const { rows } = await db.query<MuteRow>(
    'SELECT id, user_id, category, scope, created_at FROM notification_mutes WHERE user_id = $1 ORDER BY category, scope',
    [userId],
  );
  return rows.map(toMute);
}

/** Idempotent: muting twice keeps one mute. */
export async function addMute(db: Database, userId: string, category: string, scope: string): Promise<void> {
  await db.query('INSERT INTO notification_mutes (user_id, category, scope) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    userId,
    category,
    scope,
  ]);
}

/** False when there was no such mute. */
export async function removeMute(db: Database, userId: string, category: string, scope: string): Promise<boolean> {
  const result = await db.query('DELETE FROM notification_mutes WHERE user_id = $1 AND category = $2 AND scope = $3', [
    userId,
    category,
    scope,
  ]);
  return result.rowCount === 1;
}
