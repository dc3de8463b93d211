import type { Database } from '@edd/db';
import type { Logger } from '@edd/logger';

export interface RetentionPolicy {
  /** Read notifications older than this are removed (default 90 days). */
  readMaxAgeDays: number;
  /** Notifications of one user beyond the newest this many are removed (default 1,000). */
  maxPerUser: number;
  /** Claimed event ids older than this are forgotten: longer than the NOTIFICATIONS stream keeps events (7 days). */
  eventIdDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { readMaxAgeDays: 90, maxPerUser: 1_000, eventIdDays: 8 };

export interface RetentionResult {
  oldRead: number;
  overCap: number;
  eventIds: number;
}

/** One retention pass; safe to run on every replica at once (plain deletes by predicate). */
export async function applyRetention(db: Database, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<RetentionResult> {
  const oldRead = await db.query(`DELETE FROM notifications WHERE read AND created_at < now() - make_interval(days => $1)`, [
    policy.readMaxAgeDays,
  ]);
  const overCap = await db.query(
    `DELETE FROM notifications n USING (
       SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS rank
           FROM notifications
          WHERE user_id IN (SELECT user_id FROM notifications GROUP BY user_id HAVING count(*) > $1)
       ) ranked WHERE rank > $1
     ) extra WHERE n.id = extra.id`,
    [policy.maxPerUser],
  );
  const eventIds = await db.query(`DELETE FROM notification_events WHERE received_at < now() - make_interval(days => $1)`, [
    policy.eventIdDays,
  ]);
  return { oldRead: oldRead.rowCount ?? 0, overCap: overCap.rowCount ?? 0, eventIds: eventIds.rowCount ?? 0 };
}

/** Runs `applyRetention` every `intervalMs` (default hourly); returns the stop function. */
export function startRetention(db: Database, logger: Logger, intervalMs = 60 * 60 * 1000, policy = DEFAULT_RETENTION): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= applyRetention(db, policy)
      .then((result) => logger.info('notification retention pass', { ...result }))
      .catch((error: unknown) => logger.warn('notification retention pass failed', { error: String(error) }))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
