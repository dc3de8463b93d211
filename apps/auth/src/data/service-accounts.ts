import type { Queryable, ScopeMap } from './queryable';

export interface ServiceAccountRow {
  id: string;
  ownerId: number;
  ownerPublicId: string;
  name: string;
  scopes: ScopeMap;
  tokenCount: number;
  createdAt: Date;
}

const SELECT = `SELECT sa.id, sa.owner_id AS "ownerId", u.public_id AS "ownerPublicId", sa.name, sa.scopes,
    (SELECT count(*)::int FROM api_tokens t WHERE t.service_account_id = sa.id AND t.revoked_at IS NULL) AS "tokenCount",
    sa.created_at AS "createdAt"
  FROM service_accounts sa JOIN users u ON u.id = sa.owner_id`;

export async function insertServiceAccount(
  db: Queryable,
  account: { id: string; ownerId: number; name: string; scopes: ScopeMap },
): Promise<ServiceAccountRow> {
  await db.query('INSERT INTO service_accounts (id, owner_id, name, scopes) VALUES ($1, $2, $3, $4)', [
    account.id,
    account.ownerId,
    account.name,
    JSON.stringify(account.scopes),
  ]);
  return (await findServiceAccount(db, account.id, account.ownerId)) as ServiceAccountRow;
}

/** Scoped to the owner: another user's account id behaves exactly like an unknown one. */
export async function findServiceAccount(db: Queryable, id: string, ownerId: number): Promise<ServiceAccountRow | undefined> {
  const { rows } = await db.query<ServiceAccountRow>(`${SELECT} WHERE sa.id = $1 AND sa.owner_id = $2`, [id, ownerId]);
  return rows[0];
}

export async function listServiceAccountsForOwner(db: Queryable, ownerId: number): Promise<ServiceAccountRow[]> {
  const { rows } = await db.query<ServiceAccountRow>(`${SELECT} WHERE sa.owner_id = $1 ORDER BY sa.created_at DESC`, [ownerId]);
  return rows;
}

export async function listAllServiceAccounts(db: Queryable): Promise<ServiceAccountRow[]> {
  const { rows } = await db.query<ServiceAccountRow>(`${SELECT} ORDER BY sa.created_at`);
  return rows;
}

export async function updateServiceAccountScopes(
  db: Queryable,
  id: string,
  ownerId: number,
  scopes: ScopeMap,
): Promise<ServiceAccountRow | undefined> {
  const { rowCount } = await db.query('UPDATE service_accounts SET scopes = $3, updated_at = now() WHERE id = $1 AND owner_id = $2', [
    id,
    ownerId,
    JSON.stringify(scopes),
  ]);
  return rowCount ? findServiceAccount(db, id, ownerId) : undefined;
}

/** Its tokens go with it (ON DELETE CASCADE). */
export async function deleteServiceAccount(db: Queryable, id: string, ownerId: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM service_accounts WHERE id = $1 AND owner_id = $2', [id, ownerId]);
  return (rowCount ?? 0) > 0;
}

export async function listServiceAccountIdsForOwner(db: Queryable, ownerId: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM service_accounts WHERE owner_id = $1', [ownerId]);
  return rows.map((row) => row.id);
}
