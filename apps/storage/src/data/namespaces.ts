import type { Queryable } from '@edd/outbox';
import type { Namespace, NamespaceVisibility } from '@edd/api-contracts';

/** A namespace row (the API's Namespace adds its file count and bytes). */
export interface NamespaceRow {
  id: string;
  name: string;
  ownerId: string;
  visibility: NamespaceVisibility;
  createdAt: Date;
}

interface DbNamespace {
  id: string;
  name: string;
  owner_id: string;
  visibility: NamespaceVisibility;
  created_at: Date;
  file_count?: string;
  bytes?: string;
}

const COLUMNS = 'n.id, n.name, n.owner_id, n.visibility, n.created_at';
// Counts come from one grouped join, not one query per namespace (the original's N+1).
const WITH_TOTALS = `SELECT ${COLUMNS}, count(f.id)::text AS file_count, coalesce(sum(f.size), 0)::text AS bytes
  FROM namespaces n LEFT JOIN files f ON f.namespace_id = n.id`;

const toRow = (r: DbNamespace): NamespaceRow => ({
  id: r.id,
  name: r.name,
  ownerId: r.owner_id,
  visibility: r.visibility,
  createdAt: r.created_at,
});

const toApi = (r: DbNamespace): Namespace => ({
  name: r.name,
  visibility: r.visibility,
  owner_id: r.owner_id,
  file_count: Number(r.file_count ?? 0),
  bytes: Number(r.bytes ?? 0),
  created_at: r.created_at.toISOString(),
});

/** A live namespace by name (one being deleted is already gone). */
export async function findNamespace(db: Queryable, name: string, options: { forUpdate?: boolean } = {}): Promise<NamespaceRow | undefined> {
  const { rows } = await db.query<DbNamespace>(
    `SELECT ${COLUMNS} FROM namespaces n WHERE n.name = $1 AND NOT n.deleting${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [name],
  );
  return rows[0] && toRow(rows[0]);
}

/** The namespace with its totals, as the API shows it. */
export async function describeNamespace(db: Queryable, id: string): Promise<Namespace | undefined> {
  const { rows } = await db.query<DbNamespace>(`${WITH_TOTALS} WHERE n.id = $1 GROUP BY n.id`, [id]);
  return rows[0] && toApi(rows[0]);
}

export async function listNamespacesOf(db: Queryable, ownerId: string): Promise<Namespace[]> {
  const { rows } = await db.query<DbNamespace>(`${WITH_TOTALS} WHERE n.owner_id = $1 AND NOT n.deleting GROUP BY n.id ORDER BY n.name`, [
    ownerId,
  ]);
  return rows.map(toApi);
}

export async function listAllNamespaces(db: Queryable): Promise<Namespace[]> {
  const { rows } = await db.query<DbNamespace>(`${WITH_TOTALS} WHERE NOT n.deleting GROUP BY n.id ORDER BY n.name`);
  return rows.map(toApi);
}

/** Inserts the namespace; false when the name is taken (by anyone, a deleting one included). */
export async function insertNamespace(db: Queryable, row: Omit<NamespaceRow, 'createdAt'>): Promise<NamespaceRow | undefined> {
  const { rows } = await db.query<DbNamespace>(
    `INSERT INTO namespaces (id, name, owner_id, visibility) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO NOTHING RETURNING id, name, owner_id, visibility, created_at`,
    [row.id, row.name, row.ownerId, row.visibility],
  );
  return rows[0] && toRow(rows[0]);
}

export async function setVisibility(db: Queryable, id: string, visibility: NamespaceVisibility): Promise<void> {
  await db.query('UPDATE namespaces SET visibility = $2 WHERE id = $1', [id, visibility]);
}

/** Flags the namespace for deletion: from now on it is gone for readers, and a purge (maybe after a restart) removes it. */
export async function markDeleting(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE namespaces SET deleting = true WHERE id = $1', [id]);
}

/** The user's live namespaces, flagged for deletion in the same statement (a user's deletion). */
export async function markUserNamespacesDeleting(db: Queryable, ownerId: string): Promise<NamespaceRow[]> {
  const { rows } = await db.query<DbNamespace>(
    `UPDATE namespaces n SET deleting = true WHERE owner_id = $1 AND NOT deleting RETURNING ${COLUMNS}`,
    [ownerId],
  );
  return rows.map(toRow);
}

/** Namespaces whose deletion started (and may have been interrupted). */
export async function listDeleting(db: Queryable, ownerId?: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM namespaces WHERE deleting AND ($1::text IS NULL OR owner_id = $1)', [
    ownerId ?? null,
  ]);
  return rows.map((r) => r.id);
}

/** The row goes last, once its bytes are gone: files and shares follow by cascade. */
export async function deleteNamespaceRow(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM namespaces WHERE id = $1 AND deleting', [id]);
}
