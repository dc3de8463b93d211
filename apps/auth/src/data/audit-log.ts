import type { Queryable } from './queryable';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** One audit entry. Identifiers only: never passwords, tokens, secrets or hashes. */
export interface AuditEntry {
  actor: string | null;
  action: string;
  target?: string | null;
  ip?: string | null;
  outcome: AuditOutcome;
  details?: Record<string, string | number | boolean | null>;
}

export async function insertAuditEntry(db: Queryable, entry: AuditEntry): Promise<void> {
  await db.query('INSERT INTO audit_log (actor, action, target, ip, outcome, details) VALUES ($1, $2, $3, $4, $5, $6)', [
    entry.actor,
    entry.action,
    entry.target ?? null,
    entry.ip ?? null,
    entry.outcome,
    JSON.stringify(entry.details ?? {}),
  ]);
}

export interface AuditRow extends Required<Omit<AuditEntry, 'details'>> {
  at: Date;
  details: Record<string, unknown>;
}

export async function listAuditEntries(db: Queryable, limit = 200): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>(
    'SELECT at, actor, action, target, ip, outcome, details FROM audit_log ORDER BY id DESC LIMIT $1',
    [limit],
  );
  return rows;
}
