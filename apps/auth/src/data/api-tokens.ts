import type { Queryable, ScopeMap } from './queryable';

export interface TokenRow {
  id: string;
  name: string;
  serviceAccountId: string | null;
  /** Effective scopes: the token's own, or its service account's current ones. */
  scopes: ScopeMap;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** What the internal check needs: the token, its owner's identity and the stored secret hash. */
export interface TokenCredentialRow extends TokenRow {
  secretHash: Buffer;
  revokedAt: Date | null;
  ownerPublicId: string;
  ownerUsername: string;
}

const COLUMNS = `t.id, t.name, t.service_account_id AS "serviceAccountId", COALESCE(t.scopes, sa.scopes, '{}'::jsonb) AS scopes,
  t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt", t.created_at AS "createdAt"`;
const FROM = 'api_tokens t LEFT JOIN service_accounts sa ON sa.id = t.service_account_id';

export interface NewToken {
  id: string;
  ownerId: number;
  serviceAccountId: string | null;
  name: string;
  secretHash: Buffer;
  /** Null for service-account tokens (they inherit the account's scopes). */
  scopes: ScopeMap | null;
  expiresAt: Date | null;
}

export async function insertToken(db: Queryable, token: NewToken): Promise<TokenRow> {
  await db.query(
    `INSERT INTO api_tokens (id, owner_id, service_account_id, name, secret_hash, scopes, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      token.id,
      token.ownerId,
      token.serviceAccountId,
      token.name,
      token.secretHash,
      token.scopes === null ? null : JSON.stringify(token.scopes),
      token.expiresAt,
    ],
  );
  const { rows } = await db.query<TokenRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE t.id = $1`, [token.id]);
  return rows[0] as TokenRow;
}

/** A user's unrevoked tokens, personal and service-account ones (expired ones stay listed so they can be deleted). */
export async function listTokensForOwner(db: Queryable, ownerId: number): Promise<TokenRow[]> {
  const { rows } = await db.query<TokenRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE t.owner_id = $1 AND t.revoked_at IS NULL ORDER BY t.created_at DESC`,
    [ownerId],
  );
  return rows;
}

export async function listTokensForServiceAccount(db: Queryable, serviceAccountId: string): Promise<TokenRow[]> {
  const { rows } = await db.query<TokenRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE t.service_account_id = $1 AND t.revoked_at IS NULL ORDER BY t.created_at DESC`,
    [serviceAccountId],
  );
  return rows;
}

/** Revokes a token the owner holds; false when there is no such unrevoked token of theirs. */
export async function revokeToken(db: Queryable, id: string, ownerId: number): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND owner_id = $2 AND revoked_at IS NULL', [
    id,
    ownerId,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Unrevoked token ids of a user or of one service account, read before a cascading delete (for events). */
export async function listLiveTokenIds(db: Queryable, filter: { ownerId: number } | { serviceAccountId: string }): Promise<string[]> {
  const [column, value] = 'ownerId' in filter ? ['owner_id', filter.ownerId] : ['service_account_id', filter.serviceAccountId];
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM api_tokens WHERE ${column} = $1 AND revoked_at IS NULL`, [value]);
  return rows.map((row) => row.id);
}

export async function findTokenCredential(db: Queryable, id: string): Promise<TokenCredentialRow | undefined> {
  const { rows } = await db.query<TokenCredentialRow>(
    `SELECT ${COLUMNS}, t.secret_hash AS "secretHash", t.revoked_at AS "revokedAt",
       u.public_id AS "ownerPublicId", u.username AS "ownerUsername"
     FROM ${FROM} JOIN users u ON u.id = t.owner_id WHERE t.id = $1`,
    [id],
  );
  return rows[0];
}

/** last_used_at is informational: written at most once a minute per token. */
export async function touchToken(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
