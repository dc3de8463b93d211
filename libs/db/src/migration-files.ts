import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Migration {
  id: string;
  sql: string;
  /**
   * false runs it outside BEGIN/COMMIT (CREATE INDEX CONCURRENTLY refuses a transaction). When absent,
   * a first line `-- migrate: no-transaction` in the SQL decides.
   */
  transaction?: boolean;
}

const MIGRATION_FILE = /^(\d{3,})_[a-z0-9_]+\.sql$/;
const NO_TRANSACTION_MARKER = /^--\s*migrate:\s*no-transaction\s*$/i;

/** Reads `NNN_name.sql` files in order; any other file in the folder is an error, not silently skipped. */
export function loadMigrations(dir: string): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const bad = files.filter((f) => !MIGRATION_FILE.test(f));
  if (bad.length) throw new Error(`migration files must be named NNN_name.sql: ${bad.join(', ')}`);
  return files
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((file) => ({ id: file.replace(/\.sql$/, ''), sql: readFileSync(join(dir, file), 'utf8') }));
}

export function runsInTransaction(migration: Migration): boolean {
  if (migration.transaction !== undefined) return migration.transaction;
  const firstLine = migration.sql.trimStart().split('\n', 1)[0] ?? '';
  return !NO_TRANSACTION_MARKER.test(firstLine.trim());
}

/** sha256 of the SQL; line endings normalised so a Windows checkout (autocrlf) does not count as an edit. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
