import type { Database } from '@edd/db';
import type pg from 'pg';

/**
 * Idempotent consumer: records `(consumer, event id)` in processed_events and runs `fn` in the SAME transaction,
 * so the handler's writes and the record commit together. A redelivered event (or a concurrent delivery of the
 * same one, which waits on the primary key until the first commits) finds the record and is skipped.
 * Returns true when `fn` ran, false when the event had already been processed.
 */
export async function handleOnce(
  db: Pick<Database, 'tx'>,
  consumer: string,
  event: { meta: { eventId: string } },
  fn: (client: pg.PoolClient) => Promise<void>,
): Promise<boolean> {
  return db.tx(async (client) => {
    const { rowCount } = await client.query(
      'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT (consumer, event_id) DO NOTHING',
      [consumer, event.meta.eventId],
    );
    if (!rowCount) return false;
    await fn(client);
    return true;
  });
}

/**
 * Forgets processed events older than `olderThanMs`. Keep it longer than the stream's retention (7 days): an
 * event can only be redelivered while its stream still holds it. Returns how many records were removed.
 */
export async function pruneProcessedEvents(db: Pick<Database, 'query'>, olderThanMs: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM processed_events WHERE processed_at < now() - make_interval(secs => $1::float8 / 1000)`,
    [olderThanMs],
  );
  return rowCount ?? 0;
}
