import type { Queryable } from '@edd/outbox';

export interface ShareRow {
  id: string;
  secretHash: string;
  namespaceId: string;
  namespace: string;
  path: string;
  ownerId: string;
  createdAt: Date;
  expiresAt: Date;
}

interface DbShare {
  id: string;
  secret_hash: string;
  namespace_id: string;
  namespace: string;
  path: string;
  owner_id: string;
  created_at: Date;
  expires_at: Date;
}

const toRow = (r: DbShare): ShareRow => ({
  id: r.id,
  secretHash: r.secret_hash,
  namespaceId: r.namespace_id,
  namespace: r.namespace,
  path: r.path,
  ownerId: r.owner_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const SELECT = `SELECT s.id, s.secret_hash, s.namespace_id, n.name AS namespace, s.path, s.owner_id, s.created_at, s.expires_at
  FROM shares s JOIN namespaces n ON n.id = s.namespace_id`;

export async function insertShare(
  db: Queryable,
  share: { id: string; secretHash: string; namespaceId: string; path: string; ownerId: string; expiresInSeconds: number },
): Promise<{ createdAt: Date; expiresAt: Date }> {
  const { rows } = await db.query<{ created_at: Date; expires_at: Date }>(
    `INSERT INTO shares (id, secret_hash, namespace_id, path, owner_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) RETURNING created_at, expires_at`,
    [share.id, share.secretHash, share.namespaceId, share.path, share.ownerId, share.expiresInSeconds],
  );
  const row = rows[0] as { created_at: Date; expires_at: Date };
  return { createdAt: row.created_at, expiresAt: row.expires_at };
}

/** The owner's links that still work (unexpired, unrevoked), newest first. */
export async function listSharesOf(db: Queryable, ownerId: string): Promise<ShareRow[]> {
  const { rows } = await db.query<DbShare>(
    `${SELECT} WHERE s.owner_id = $1 AND NOT s.revoked AND s.expires_at > now() AND NOT n.deleting ORDER BY s.created_at DESC`,
    [ownerId],
  );
  return rows.map(toRow);
}

/** A link that still works: unexpired, unrevoked, in a live namespace. */
export async function findActiveShare(db: Queryable, id: string): Promise<ShareRow | undefined> {
  const { rows } = await db.query<DbShare>(`${SELECT} WHERE s.id = $1 AND NOT s.revoked AND s.expires_at > now() AND NOT n.deleting`, [id]);
  return rows[0] && toRow(rows[0]);
}

/** Revokes the owner's link; false when it is not theirs or does not exist. */
export async function revokeShare(db: Queryable, id: string, ownerId: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE shares SET revoked = true WHERE id = $1 AND owner_id = $2 AND NOT revoked', [id, ownerId]);
  return (rowCount ?? 0) > 0;
}

export async function deleteSharesOf(db: Queryable, ownerId: string): Promise<void> {
  await db.query('DELETE FROM shares WHERE owner_id = $1', [ownerId]);
}
