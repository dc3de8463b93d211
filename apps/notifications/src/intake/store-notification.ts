import type { Notification } from '@edd/api-contracts';
import type { Database } from '@edd/db';
import type { ReceivedEvent } from '@edd/events';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from '../data/rows';

/** What taking in one event did. `previousId` is the user's newest id before this one (0: none), for live delivery. */
export type IntakeResult = { outcome: 'stored'; notification: Notification; previousId: number } | { outcome: 'duplicate' | 'muted' };

/**
 * Takes in one `notify` event in one transaction: the event id is claimed first (a redelivery, a publisher retry
 * or a replay finds it taken and stores nothing), a muted notification is dropped, and the user's head row is
 * locked before the insert so the user's ids commit in increasing order.
 */
export async function storeNotification(db: Database, event: ReceivedEvent<'notify'>): Promise<IntakeResult> {
  const { data, meta } = event;
  return db.tx(async (client) => {
    const claimed = await client.query('INSERT INTO notification_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [meta.eventId]);
    if (claimed.rowCount !== 1) return { outcome: 'duplicate' };
    const scope = data.scope ?? '';
    const muted = await client.query(
      `SELECT 1 FROM notification_mutes WHERE user_id = $1 AND category = $2 AND (scope = '' OR scope = $3) LIMIT 1`,
      [data.userId, data.category, scope],
    );
    if (muted.rowCount) return { outcome: 'muted' };
    await client.query('INSERT INTO notification_heads (user_id, last_id) VALUES ($1, 0) ON CONFLICT DO NOTHING', [data.userId]);
    const head = await client.query<{ last_id: string }>('SELECT last_id FROM notification_heads WHERE user_id = $1 FOR UPDATE', [
      data.userId,
    ]);
    const { rows } = await client.query<NotificationRow>(
      `INSERT INTO notifications (event_id, user_id, title, message, link, category, scope, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${NOTIFICATION_COLUMNS}`,
      [meta.eventId, data.userId, data.title, data.message, data.link ?? '', data.category, scope, data.source ?? meta.source],
    );
    const row = rows[0];
    if (!row) throw new Error('insert returned no row');
    await client.query('UPDATE notification_heads SET last_id = $2 WHERE user_id = $1', [data.userId, row.id]);
    return { outcome: 'stored', notification: toNotification(row), previousId: Number(head.rows[0]?.last_id ?? 0) };
  });
}
