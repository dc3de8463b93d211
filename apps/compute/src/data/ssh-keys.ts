import type { Queryable } from '@edd/outbox';

export interface SshKeyRow {
  id: string;
  ownerId: string;
  name: string;
  publicKey: string;
  keyType: string;
  bits: number;
  fingerprint: string;
  createdAt: Date;
}

interface DbKey {
  id: string;
  owner_id: string;
  name: string;
  public_key: string;
  key_type: string;
  bits: number;
  fingerprint: string;
  created_at: Date;
}

const toRow = (r: DbKey): SshKeyRow => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  publicKey: r.public_key,
  keyType: r.key_type,
  bits: r.bits,
  fingerprint: r.fingerprint,
  createdAt: r.created_at,
});

/** Inserts the key; undefined when the owner already has one with this fingerprint. */
export async function insertSshKey(db: Queryable, key: Omit<SshKeyRow, 'createdAt'>): Promise<SshKeyRow | undefined> {
  const { rows } = await db.query<DbKey>(
    `INSERT INTO ssh_keys (id, owner_id, name, public_key, key_type, bits, fingerprint) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (owner_id, fingerprint) DO NOTHING RETURNING *`,
    [key.id, key.ownerId, key.name, key.publicKey, key.keyType, key.bits, key.fingerprint],
  );
  return rows[0] && toRow(rows[0]);
}

export async function countSshKeys(db: Queryable, ownerId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ssh_keys WHERE owner_id = $1', [ownerId]);
  return rows[0]?.n ?? 0;
}

export async function listSshKeys(db: Queryable, ownerId: string): Promise<SshKeyRow[]> {
  const { rows } = await db.query<DbKey>('SELECT * FROM ssh_keys WHERE owner_id = $1 ORDER BY created_at, id', [ownerId]);
  return rows.map(toRow);
}

/** The owner's keys among `ids` (others' and unknown ids are simply absent). */
export async function findSshKeys(db: Queryable, ownerId: string, ids: readonly string[]): Promise<SshKeyRow[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<DbKey>('SELECT * FROM ssh_keys WHERE owner_id = $1 AND id = ANY($2::text[])', [ownerId, ids]);
  return rows.map(toRow);
}

export async function deleteSshKey(db: Queryable, ownerId: string, id: string): Promise<SshKeyRow | undefined> {
  const { rows } = await db.query<DbKey>('DELETE FROM ssh_keys WHERE owner_id = $1 AND id = $2 RETURNING *', [ownerId, id]);
  return rows[0] && toRow(rows[0]);
}

export async function deleteSshKeysOf(db: Queryable, ownerId: string): Promise<SshKeyRow[]> {
  const { rows } = await db.query<DbKey>('DELETE FROM ssh_keys WHERE owner_id = $1 RETURNING *', [ownerId]);
  return rows.map(toRow);
}

export async function trustKeys(db: Queryable, containerId: string, keyIds: readonly string[]): Promise<void> {
  if (!keyIds.length) return;
  await db.query('INSERT INTO container_keys (container_id, key_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [
    containerId,
    keyIds,
  ]);
}

/** The keys a container trusts (its root's authorized_keys, besides the platform key). */
export async function trustedKeys(db: Queryable, containerId: string): Promise<SshKeyRow[]> {
  const { rows } = await db.query<DbKey>(
    'SELECT k.* FROM ssh_keys k JOIN container_keys ck ON ck.key_id = k.id WHERE ck.container_id = $1 ORDER BY k.created_at, k.id',
    [containerId],
  );
  return rows.map(toRow);
}

/** Key ids each container trusts, for many containers at once. */
export async function trustedKeyIds(db: Queryable, containerIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(containerIds.map((id) => [id, []]));
  if (!containerIds.length) return result;
  const { rows } = await db.query<{ container_id: string; key_id: string }>(
    'SELECT container_id, key_id FROM container_keys WHERE container_id = ANY($1::text[]) ORDER BY key_id',
    [containerIds],
  );
  for (const row of rows) result.get(row.container_id)?.push(row.key_id);
  return result;
}

/** Exactly these keys are trusted by the container from now on. */
export async function replaceTrustedKeys(db: Queryable, containerId: string, keyIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM container_keys WHERE container_id = $1 AND NOT (key_id = ANY($2::text[]))', [containerId, keyIds]);
  await trustKeys(db, containerId, keyIds);
}
