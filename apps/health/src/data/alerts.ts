import type { Database } from '@edd/db';
import type { ActiveCondition, RuleName, Severity } from '../alerts/rules';

export interface AlertRow {
  id: string;
  rule: RuleName;
  key: string;
  severity: Severity;
  title: string;
  message: string;
  subject: string;
  ownerId: string | null;
  state: 'firing' | 'resolved';
  firedAt: Date;
  resolvedAt: Date | null;
  /** Whether this episode was announced (false: inside its key's cooldown). */
  notified: boolean;
}

interface DbAlert {
  id: string;
  rule: RuleName;
  alert_key: string;
  severity: Severity;
  title: string;
  message: string;
  subject: string;
  owner_id: string | null;
  fired_at: Date;
  resolved_at: Date | null;
  notified_at: Date | null;
}

const toRow = (r: DbAlert): AlertRow => ({
  id: String(r.id),
  rule: r.rule,
  key: r.alert_key,
  severity: r.severity,
  title: r.title,
  message: r.message,
  subject: r.subject,
  ownerId: r.owner_id,
  state: r.resolved_at ? 'resolved' : 'firing',
  firedAt: r.fired_at,
  resolvedAt: r.resolved_at,
  notified: r.notified_at !== null,
});

export interface AlertChanges {
  fired: AlertRow[];
  resolved: AlertRow[];
}

/**
 * Brings the book in line with the conditions that hold now: a new key opens a firing episode (announced unless the
 * key was announced within its cooldown), a firing key no longer held is resolved. One transaction, so a concurrent
 * evaluation (never expected: only the leader evaluates) cannot open the same episode twice (unique index).
 */
export async function applyConditions(db: Database, active: readonly ActiveCondition[], now: Date): Promise<AlertChanges> {
  return db.tx(async (client) => {
    const { rows: firing } = await client.query<DbAlert>('SELECT * FROM alerts WHERE resolved_at IS NULL FOR UPDATE');
    const firingKeys = new Set(firing.map((r) => r.alert_key));
    const activeKeys = new Set(active.map((c) => c.key));
    const fired: AlertRow[] = [];
    for (const condition of active) {
      if (firingKeys.has(condition.key)) continue;
      firingKeys.add(condition.key);
      const { rows: last } = await client.query<{ at: Date | null }>('SELECT max(notified_at) AS at FROM alerts WHERE alert_key = $1', [
        condition.key,
      ]);
      const lastAt = last[0]?.at;
      const announce = !lastAt || now.getTime() - lastAt.getTime() >= condition.cooldownMs;
      const { rows } = await client.query<DbAlert>(
        `INSERT INTO alerts (rule, alert_key, severity, title, message, subject, owner_id, fired_at, notified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
        [
          condition.rule,
          condition.key,
          condition.severity,
          condition.title,
          condition.message,
          condition.subject,
          condition.ownerId ?? null,
          now,
          announce ? now : null,
        ],
      );
      if (rows[0]) fired.push(toRow(rows[0]));
    }
    const gone = firing.filter((r) => !activeKeys.has(r.alert_key)).map((r) => r.id);
    const { rows: resolvedRows } = gone.length
      ? await client.query<DbAlert>('UPDATE alerts SET resolved_at = $1 WHERE id = ANY($2::bigint[]) RETURNING *', [now, gone])
      : { rows: [] as DbAlert[] };
    return { fired, resolved: resolvedRows.map(toRow) };
  });
}

export interface AlertQuery {
  /** Only this owner's (a non-admin); undefined = everyone's. */
  ownerId?: string;
  state?: 'firing' | 'resolved';
  limit: number;
}

/** Most recent first. */
export async function listAlerts(db: Database, query: AlertQuery): Promise<AlertRow[]> {
  const { rows } = await db.query<DbAlert>(
    `SELECT * FROM alerts WHERE ($1::text IS NULL OR owner_id = $1)
       AND ($2::text IS NULL OR ($2 = 'firing') = (resolved_at IS NULL))
     ORDER BY fired_at DESC, id DESC LIMIT $3`,
    [query.ownerId ?? null, query.state ?? null, query.limit],
  );
  return rows.map(toRow);
}

/** Resolved episodes older than 30 days go. */
export async function pruneAlerts(db: Database, now: Date): Promise<void> {
  await db.query('DELETE FROM alerts WHERE resolved_at IS NOT NULL AND resolved_at < $1', [new Date(now.getTime() - 30 * 24 * 3600_000)]);
}

/** ERROR entries per source within the window (the error-burst rule's input). */
export async function recentErrorCounts(db: Database, since: Date): Promise<Array<{ source: string; count: number }>> {
  const { rows } = await db.query<{ source: string; count: string }>(
    'SELECT source, count(*) AS count FROM log_errors WHERE t >= $1 GROUP BY source',
    [since],
  );
  return rows.map((r) => ({ source: r.source, count: Number(r.count) }));
}

/** Records one `log.error` event (idempotent by event id: a redelivery counts once). */
export async function recordLogError(db: Database, eventId: string, source: string, at: Date): Promise<void> {
  await db.query('INSERT INTO log_errors (event_id, source, t) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [eventId, source, at]);
}

export async function pruneLogErrors(db: Database, now: Date): Promise<void> {
  await db.query('DELETE FROM log_errors WHERE t < $1', [new Date(now.getTime() - 3600_000)]);
}
