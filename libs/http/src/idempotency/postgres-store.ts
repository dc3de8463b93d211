import type { IdempotencyRecord, IdempotencyStore, SqlQueryable } from './idempotency-store';

/** The table postgresIdempotencyStore uses, applied with the service's migrations (`extraMigrations`). */
export const idempotencyMigrations: ReadonlyArray<{ id: string; sql: string }> = [
  {
    id: 'http_001_idempotency_keys',
    sql: `
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,          -- sha256 of the caller and their Idempotency-Key (never the key itself)
  fingerprint text NOT NULL,     -- sha256 of method, path and body
  status integer,                -- null while the first request runs
  sealed text,                   -- the answer, AES-256-GCM sealed with a key derived from the Idempotency-Key
  expires_at timestamptz NOT NULL
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
`,
  },
];

// An expired row is taken over as if absent; a row still held or answered is left alone (no row returned).
// Each claim also deletes up to 100 expired rows (skipping ones another claim is deleting), so the table stays small.
const CLAIM = `
WITH swept AS (
  DELETE FROM idempotency_keys WHERE key IN (
    SELECT key FROM idempotency_keys WHERE expires_at <= now() AND key <> $1 LIMIT 100 FOR UPDATE SKIP LOCKED))
INSERT INTO idempotency_keys (key, fingerprint, expires_at) VALUES ($1, $2, now() + $3::float8 * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = NULL, sealed = NULL, expires_at = EXCLUDED.expires_at
  WHERE idempotency_keys.expires_at <= now()
RETURNING key`;

const KEEP = `
INSERT INTO idempotency_keys (key, fingerprint, status, sealed, expires_at)
VALUES ($1, $2, $3, $4, now() + $5::float8 * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, sealed = EXCLUDED.sealed,
  expires_at = EXCLUDED.expires_at`;

interface Row {
  fingerprint: string;
  status: number | null;
  sealed: string | null;
}

/**
 * For a service whose only store is PostgreSQL (compute): the keys live in its own database, next to what the
 * requests created, so no second stateful dependency can fail a create. Expiry is checked on read and swept on claim.
 */
export function postgresIdempotencyStore(db: SqlQueryable): IdempotencyStore {
  return {
    claim: async (key, fingerprint, ttlMs) => (await db.query(CLAIM, [key, fingerprint, ttlMs])).rows.length === 1,
    read: async (key) => {
      const { rows } = await db.query('SELECT fingerprint, status, sealed FROM idempotency_keys WHERE key = $1 AND expires_at > now()', [
        key,
      ]);
      const row = rows[0] as Row | undefined;
      if (!row) return undefined;
      const record: IdempotencyRecord = { fingerprint: row.fingerprint };
      if (row.status !== null) record.status = row.status;
      if (row.sealed !== null) record.sealed = row.sealed;
      return record;
    },
    keep: async (key, record, ttlMs) => {
      await db.query(KEEP, [key, record.fingerprint, record.status, record.sealed, ttlMs]);
    },
    keepWithin: async (tx, key, record, ttlMs) => {
      await tx.query(KEEP, [key, record.fingerprint, record.status, record.sealed, ttlMs]);
    },
    release: async (key) => {
      await db.query('DELETE FROM idempotency_keys WHERE key = $1', [key]);
    },
  };
}
