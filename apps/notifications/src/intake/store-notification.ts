import type { Notification } from '@edd/api-contracts';
import type { Database } from '@edd/db';
import type { ReceivedEvent } from '@edd/events';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from '../data/rows';

/** What taking in one event did. `previousId` is the user's newest id before this one (0: none), for live delivery. */
export type IntakeResult = { outcome: 'stored'; notification: Notification; previousId: number } | { outcome: 'duplicate' | 'muted' };

type TakeInRow = { event_id: string } & (
  | ({ outcome: 'stored'; previous_id: string } & NotificationRow) // bigint: pg returns it as a string
  | { outcome: 'duplicate' | 'muted' }
);

/**
 * Takes in a batch of `notify` events in one statement (`take_in_notifications`, migration 004), so one round trip
 * and one transaction: each event id is claimed first (a redelivery, a publisher retry or a replay finds it taken
 * and stores nothing), a muted notification is dropped, and one user's notifications are stored in the batch's order
 * with ids committed in increasing order. One result per event, in order.
 */
export async function storeNotifications(db: Database, events: readonly ReceivedEvent<'notify'>[]): Promise<IntakeResult[]> {
  if (events.length === 0) return [];
  const batch = events.map(({ data, meta }) => ({
    eventId: meta.eventId,
    userId: data.userId,
    title: data.title,
    message: data.message,
    link: data.link ?? '',
    category: data.category,
    scope: data.scope ?? '',
    source: data.source ?? meta.source,
  }));
  const { rows } = await db.query<TakeInRow>(
    `SELECT event_id, outcome, previous_id, ${NOTIFICATION_COLUMNS} FROM take_in_notifications($1::jsonb)`,
    [JSON.stringify(batch)],
  );
  return events.map((event, i): IntakeResult => {
    const row = rows[i];
    if (row?.event_id !== event.meta.eventId) throw new Error('take_in_notifications answered out of step with its batch');
    if (row.outcome !== 'stored') return { outcome: row.outcome };
    return { outcome: 'stored', notification: toNotification(row), previousId: Number(row.previous_id) };
  });
}

/** One event on its own (tests, and a replay of one event). */
export async function storeNotification(db: Database, event: ReceivedEvent<'notify'>): Promise<IntakeResult> {
  const [result] = await storeNotifications(db, [event]);
  if (!result) throw new Error('take_in_notifications returned no row');
  return result;
}
