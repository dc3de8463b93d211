import type { JWK } from 'jose';
import type { Queryable } from './queryable';

/** How a private key sits in the row: sealed with AES-256-GCM, or plain (development without a secret). */
export type StoredPrivateKey =
  { format: 'plain'; jwk: JWK } | { format: 'aes-256-gcm'; salt: string; iv: string; tag: string; data: string };

export interface SigningKeyRow {
  kid: string;
  alg: string;
  privateKey: StoredPrivateKey;
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
  expiresAfter: Date | null;
}

const COLUMNS = `kid, alg, private_jwk AS "privateKey", public_jwk AS "publicJwk", created_at AS "createdAt",
  retired_at AS "retiredAt", expires_after AS "expiresAfter"`;

/** Serialises key creation and rotation across replicas (transaction-scoped advisory lock). */
export async function lockSigningKeys(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('auth.signing_keys'))`);
}

export async function findCurrentSigningKey(db: Queryable): Promise<SigningKeyRow | undefined> {
  const { rows } = await db.query<SigningKeyRow>(
    `SELECT ${COLUMNS} FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1`,
  );
  return rows[0];
}

/** The current key plus retired keys whose tokens may still be alive: the JWKS. */
export async function listPublishedSigningKeys(db: Queryable): Promise<SigningKeyRow[]> {
  const { rows } = await db.query<SigningKeyRow>(
    `SELECT ${COLUMNS} FROM signing_keys WHERE retired_at IS NULL OR expires_after > now() ORDER BY created_at DESC`,
  );
  return rows;
}

export async function insertSigningKey(
  db: Queryable,
  key: { kid: string; alg: string; privateKey: StoredPrivateKey; publicJwk: JWK },
): Promise<void> {
  await db.query('INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)', [
    key.kid,
    key.alg,
    JSON.stringify(key.privateKey),
    JSON.stringify(key.publicJwk),
  ]);
}

/** Retires every current key; each stays published for `publishForMs` (the longest a token it signed can live). */
export async function retireCurrentSigningKeys(db: Queryable, publishForMs: number): Promise<void> {
  await db.query(
    `UPDATE signing_keys SET retired_at = now(), expires_after = now() + $1 * interval '1 millisecond'
     WHERE retired_at IS NULL`,
    [publishForMs],
  );
}
