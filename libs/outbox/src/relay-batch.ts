import type { Database } from '@edd/db';
import { EventValidationError } from '@edd/events';
import type { EventBus, EventData, EventType } from '@edd/events';
import { errorMessage, type OutboxLogger } from './queryable';

// Any constant works; it only has to be the same for every replica of a service (advisory locks are per database).
const RELAY_LOCK = 4_242_002;

interface OutboxRow {
  id: string;
  type: EventType;
  data: unknown;
}

export type BatchOutcome =
  | { kind: 'done'; published: number; more: boolean }
  /** Another replica's relay holds the lock and is publishing. */
  | { kind: 'busy' }
  /** The bus could not take an event (NATS down): the row stays unsent and the batch stopped there. */
  | { kind: 'failed'; published: number; error: string };

/**
 * Publishes up to `limit` unsent rows in `seq` order, in one transaction: an event committed after another goes out
 * after it. A transaction-level advisory lock lets one relay publish at a time, so that order holds across replicas;
 * FOR UPDATE SKIP LOCKED makes a row claimable once.
 * A row is marked sent only after JetStream acknowledged it; one that fails stops the batch (later rows wait their
 * turn) and is retried with the same event id, which JetStream de-duplicates should the first attempt have landed.
 */
export async function relayBatch(db: Database, bus: EventBus, logger: OutboxLogger, limit: number): Promise<BatchOutcome> {
  return db.tx(async (client) => {
    const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK]);
    if (!lock.rows[0]?.locked) return { kind: 'busy' };
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, type, data FROM event_outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const sent: string[] = [];
    let failure: { row: OutboxRow; error: string } | undefined;
    for (const row of rows) {
      try {
        await bus.publish(row.type, row.data as EventData<EventType>, { eventId: row.id });
        sent.push(row.id);
      } catch (error) {
        if (error instanceof EventValidationError) {
          // The bus refuses the event itself (e.g. a schema changed since it was written): retrying cannot help and
          // must not hold back every event behind it. Kept, not deleted, for someone to look at.
          await client.query('UPDATE event_outbox SET failed_at = now(), attempts = attempts + 1, last_error = $2 WHERE id = $1', [
            row.id,
            error.message,
          ]);
          logger.error('outbox event refused by the bus: set aside', { eventId: row.id, type: row.type, error: error.message });
          continue;
        }
        failure = { row, error: errorMessage(error) };
        break;
      }
    }
    if (sent.length) {
      await client.query('UPDATE event_outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])', [
        sent,
      ]);
    }
    if (failure) {
      await client.query('UPDATE event_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [failure.row.id, failure.error]);
      return { kind: 'failed', published: sent.length, error: failure.error };
    }
    return { kind: 'done', published: sent.length, more: rows.length === limit };
  });
}

/** Deletes rows sent more than `retentionMs` ago; returns how many. */
export async function pruneSent(db: Database, retentionMs: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM event_outbox WHERE sent_at < now() - make_interval(secs => $1::float8 / 1000)`, [
    retentionMs,
  ]);
  return rowCount ?? 0;
}

/** Rows not published yet (failed_at rows excluded: they will not be retried). */
export async function countUnsent(db: Database): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM event_outbox WHERE sent_at IS NULL AND failed_at IS NULL',
  );
  return rows[0]?.count ?? 0;
}
