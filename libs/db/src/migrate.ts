import type pg from 'pg';
import { migrationChecksum, runsInTransaction } from './migration-files';
import type { Migration } from './migration-files';

// Any constant works; it only has to be the same for every replica of every service.
const MIGRATION_LOCK = 4_242_001;

/**
 * Applies pending migrations, each in its own transaction unless it opts out, recorded with its sha256 in
 * `schema_migrations`. An advisory lock serialises replicas that start at the same time. A migration that
 * was edited after it was applied stops everything before anything runs. Returns the ids applied now.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[]): Promise<string[]> {
  const client = await pool.connect();
  // Losing the server mid-migration surfaces as a failed query below; the 'error' event must not crash the process.
  const onError = (): void => undefined;
  client.on('error', onError);
  try {
    // The pool's statement_timeout guards requests; building an index on a big table (or waiting for
    // another replica's migrations behind the lock) may rightly take far longer.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), checksum text)',
    );
    await addChecksumColumn(client);
    const recorded = await recordedChecksums(client);
    await verifyApplied(client, migrations, recorded);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (recorded.has(migration.id)) continue;
      if (runsInTransaction(migration)) await applyInTransaction(client, migration);
      else await applyWithoutTransaction(client, migration);
      applied.push(migration.id);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.off('error', onError);
    // Closed, not pooled: its statement_timeout = 0 must never reach a request.
    client.release(true);
  }
}

/** Tables made before checksums existed get the column; their rows are adopted in verifyApplied. */
async function addChecksumColumn(client: pg.PoolClient): Promise<void> {
  const found = await client.query(
    `SELECT 1 FROM pg_attribute WHERE attrelid = 'schema_migrations'::regclass AND attname = 'checksum' AND NOT attisdropped`,
  );
  if (!found.rowCount) await client.query('ALTER TABLE schema_migrations ADD COLUMN checksum text');
}

async function recordedChecksums(client: pg.PoolClient): Promise<Map<string, string | null>> {
  const rows = await client.query<{ id: string; checksum: string | null }>('SELECT id, checksum FROM schema_migrations');
  return new Map(rows.rows.map((row) => [row.id, row.checksum]));
}

/** Applied migrations must be unchanged; rows recorded before checksums existed take the file's as it is now. */
async function verifyApplied(client: pg.PoolClient, migrations: readonly Migration[], recorded: Map<string, string | null>): Promise<void> {
  for (const migration of migrations) {
    if (!recorded.has(migration.id)) continue;
    const now = migrationChecksum(migration.sql);
    const before = recorded.get(migration.id);
    if (before === null) {
      await client.query('UPDATE schema_migrations SET checksum = $2 WHERE id = $1 AND checksum IS NULL', [migration.id, now]);
    } else if (before !== now) {
      throw new Error(
        `migration ${migration.id} was changed after it was applied (sha256 ${before?.slice(0, 12)} recorded, ${now.slice(0, 12)} now). ` +
          'An applied migration is never edited: restore the file as it was and write the change as a new migration (the next NNN_name.sql).',
      );
    }
  }
}

async function applyInTransaction(client: pg.PoolClient, migration: Migration): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(migration.sql);
    await record(client, migration);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Runs the SQL as it is and records it after. PostgreSQL runs a multi-statement string as one implicit
 * transaction, so such a migration holds a single statement (CREATE INDEX CONCURRENTLY refuses otherwise).
 */
async function applyWithoutTransaction(client: pg.PoolClient, migration: Migration): Promise<void> {
  try {
    await client.query(migration.sql);
  } catch (error) {
    // 25001 active_sql_transaction: several statements in one no-transaction file.
    const hint =
      (error as { code?: string }).code === '25001'
        ? ' (a no-transaction migration must hold a single statement)'
        : '; it ran outside a transaction, so undo what it left (an index built CONCURRENTLY stays INVALID: drop it) before restarting';
    throw new Error(`migration ${migration.id} failed: ${(error as Error).message}${hint}`, { cause: error });
  }
  await record(client, migration);
}

async function record(client: pg.PoolClient, migration: Migration): Promise<void> {
  await client.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [migration.id, migrationChecksum(migration.sql)]);
}
