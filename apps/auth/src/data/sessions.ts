import type { Queryable } from './queryable';

export type RevokeReason = 'logout' | 'password_change' | 'admin' | 'user_deleted' | 'expired';

export interface SessionRow {
  id: string;
  userId: number;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** An active session joined with the owner's public identity (for listings that cross users). */
export interface SessionWithOwner extends SessionRow {
  userPublicId: string;
  username: string;
}

const COLUMNS = `s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
  s.expires_at AS "expiresAt", s.ip, s.user_agent AS "userAgent"`;
const ACTIVE = 's.revoked_at IS NULL AND s.expires_at > now()';

export async function insertSession(
  db: Queryable,
  session: { id: string; userId: number; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO sessions AS s (id, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [session.id, session.userId, session.expiresAt, session.ip, session.userAgent],
  );
  return rows[0] as SessionRow;
}

export async function findActiveSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(`SELECT ${COLUMNS} FROM sessions s WHERE s.id = $1 AND ${ACTIVE}`, [id]);
  return rows[0];
}

/** Records activity at most once a minute per session, so busy dashboards do not write on every request. */
export async function touchSession(db: Queryable, id: string): Promise<void> {
  await db.query(`UPDATE sessions SET last_seen_at = now() WHERE id = $1 AND last_seen_at < now() - interval '1 minute'`, [id]);
}

export async function listActiveSessionsForUser(db: Queryable, userId: number): Promise<SessionRow[]> {
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM sessions s WHERE s.user_id = $1 AND ${ACTIVE} ORDER BY s.created_at DESC`,
    [userId],
  );
  return rows;
}

export async function listAllActiveSessions(db: Queryable): Promise<SessionWithOwner[]> {
  const { rows } = await db.query<SessionWithOwner>(
    `SELECT ${COLUMNS}, u.public_id AS "userPublicId", u.username
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE ${ACTIVE} ORDER BY s.created_at DESC LIMIT 1000`,
  );
  return rows;
}

/** Revokes one active session; undefined when it was not active (already revoked, expired or unknown). */
export async function revokeSession(db: Queryable, id: string, reason: RevokeReason): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `UPDATE sessions AS s SET revoked_at = now(), revoke_reason = $2 WHERE s.id = $1 AND ${ACTIVE} RETURNING ${COLUMNS}`,
    [id, reason],
  );
  return rows[0];
}

/** Revokes every active session of a user except `keepId`; returns the revoked ids (for events). */
export async function revokeUserSessions(db: Queryable, userId: number, reason: RevokeReason, keepId?: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE sessions AS s SET revoked_at = now(), revoke_reason = $2
     WHERE s.user_id = $1 AND ${ACTIVE} AND s.id IS DISTINCT FROM $3 RETURNING s.id`,
    [userId, reason, keepId ?? null],
  );
  return rows.map((row) => row.id);
}
