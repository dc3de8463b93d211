import type { Notification } from '@edd/api-contracts';
import type { Database } from '@edd/db';
import type { ReceivedEvent } from '@edd/events';

/** What taking in one event did. `previousId` is the user's newest id before this one (0: none), for live delivery. */
export type IntakeResult = { outcome: 'stored'; notification: Notification; previousId: number } | { outcome: 'duplicate' | 'muted' };

interface TakeInRow {
  outcome: 'stored' | 'duplicate' | 'muted';
  previous_id: string | null; // bigint: pg returns it as a string
  new_id: string | null;
  new_created_at: Date | null;
}

/**
 * Takes in one `notify` event in one statement (`take_in_notification`, migration 003), its own transaction: the
 * event id is claimed first (a redelivery, a publisher retry or a replay finds it taken and stores nothing), a muted
 * notification is dropped, and the user's head row is locked before the insert so the user's ids commit in
 * increasing order.
 */
export async function storeNotification(db: Database, event: ReceivedEvent<'notify'>): Promise<IntakeResult> {
  const { data, meta } = event;
  const scope = data.scope ?? '';
  const link = data.link ?? '';
  const { rows } = await db.query<TakeInRow>('SELECT * FROM take_in_notification($1, $2, $3, $4, $5, $6, $7, $8)', [
    meta.eventId,
    data.userId,
    data.title,
    data.message,
    link,
    data.category,
    scope,
    data.source ?? meta.source,
  ]);
  const row = rows[0];
  if (!row) throw new Error('take_in_notification returned no row');
  if (row.outcome !== 'stored') return { outcome: row.outcome };
  if (row.new_id === null || row.new_created_at === null) throw new Error('take_in_notification stored without an id');
  const notification: Notification = {
    id: Number(row.new_id),
    user_id: data.userId,
    title: data.title,
    message: data.message,
    link,
    category: data.category,
    scope,
    read: false,
    created_at: row.new_created_at.toISOString(),
  };
  return { outcome: 'stored', notification, previousId: Number(row.previous_id ?? 0) };
}
