import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrationChecksum, openDatabase } from './index';
import type { Database, OpenDatabaseOptions } from './index';
import { createTestDatabase } from './testing';
import type { TestDatabase } from './testing';

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'edd-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migrations: timeouts, checksums, no-transaction', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function testDatabase(prefix: string): Promise<TestDatabase> {
    const testDb = await createTestDatabase(prefix);
    cleanup.push(() => testDb.drop());
    return testDb;
  }

  async function open(testDb: TestDatabase, dir: string, extra: Partial<OpenDatabaseOptions> = {}): Promise<Database> {
    const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: dir, ...extra });
    cleanup.push(() => db.close());
    return db;
  }

  it('runs a migration longer than the pool statement timeout, which still applies to queries', async () => {
    const testDb = await testDatabase('db_slow');
    const dir = migrationsFolder({ '001_slow.sql': 'SELECT pg_sleep(0.5); CREATE TABLE slow (id int);' });
    const db = await open(testDb, dir, { statementTimeoutMs: 200 });
    expect((await db.query(`SELECT to_regclass('slow') IS NOT NULL AS made`)).rows[0]).toEqual({ made: true });
    // The same sleep through the pool is cancelled: the timeout is real, and the migration's "0" did not leak.
    for (let i = 0; i < 3; i += 1) await expect(db.query('SELECT pg_sleep(0.5)')).rejects.toThrow(/statement timeout/);
  });

  it('records a sha256 per migration, and refuses to start when an applied file changed', async () => {
    const testDb = await testDatabase('db_changed');
    const sql = 'CREATE TABLE notes (id int);';
    const first = await open(testDb, migrationsFolder({ '001_notes.sql': sql }));
    const recorded = await first.query<{ checksum: string }>('SELECT checksum FROM schema_migrations');
    expect(recorded.rows).toEqual([{ checksum: migrationChecksum(sql) }]);

    const edited = migrationsFolder({
      '001_notes.sql': 'CREATE TABLE notes (id int, body text);',
      '002_more.sql': 'CREATE TABLE more (id int);',
    });
    const failure = openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: edited });
    await expect(failure).rejects.toThrow(/migration 001_notes was changed after it was applied/);
    await expect(failure).rejects.toThrow(/write the change as a new migration/);
    // Nothing after it ran.
    expect((await first.query(`SELECT to_regclass('more') IS NULL AS absent`)).rows[0]).toEqual({ absent: true });
    // The same content with Windows line endings is not a change.
    await open(testDb, migrationsFolder({ '001_notes.sql': sql.replace(/\n/g, '\r\n') }));
  });

  it('adopts rows recorded before checksums existed, then guards them', async () => {
    const testDb = await testDatabase('db_adopt');
    const admin = new pg.Client({ connectionString: testDb.url });
    await admin.connect();
    cleanup.push(() => admin.end());
    // The table as the previous version of migrate() left it.
    await admin.query(`CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE legacy (id int); INSERT INTO schema_migrations (id) VALUES ('001_legacy');`);
    const sql = 'CREATE TABLE legacy (id int);';
    await open(testDb, migrationsFolder({ '001_legacy.sql': sql }));
    expect((await admin.query('SELECT id, checksum FROM schema_migrations')).rows).toEqual([
      { id: '001_legacy', checksum: migrationChecksum(sql) },
    ]);
    await expect(
      openDatabase({
        serverUrl: testDb.serverUrl,
        database: testDb.database,
        migrationsDir: migrationsFolder({ '001_legacy.sql': 'SELECT 1;' }),
      }),
    ).rejects.toThrow(/001_legacy was changed/);
  });

  it('runs a no-transaction migration outside BEGIN/COMMIT: CREATE INDEX CONCURRENTLY', async () => {
    const testDb = await testDatabase('db_concurrently');
    const db = await open(
      testDb,
      migrationsFolder({
        '001_items.sql': 'CREATE TABLE items (id int, name text); INSERT INTO items SELECT g, g::text FROM generate_series(1, 1000) g;',
        '002_items_name.sql': '-- migrate: no-transaction\nCREATE INDEX CONCURRENTLY items_name ON items (name);\n',
      }),
    );
    const index = await db.query<{ valid: boolean }>(
      `SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('items_name')`,
    );
    expect(index.rows).toEqual([{ valid: true }]);
    const recorded = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(recorded.rows.map((r) => r.id)).toEqual(['001_items', '002_items_name']);
  });

  it('without the marker, CREATE INDEX CONCURRENTLY fails inside the transaction', async () => {
    const testDb = await testDatabase('db_concurrently_tx');
    await expect(
      openDatabase({
        serverUrl: testDb.serverUrl,
        database: testDb.database,
        migrationsDir: migrationsFolder({ '001_t.sql': 'CREATE TABLE t (v int);', '002_i.sql': 'CREATE INDEX CONCURRENTLY t_v ON t (v);' }),
      }),
    ).rejects.toThrow(/migration 002_i failed: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
  });

  it('says a no-transaction migration must hold one statement, and does not record a failed one', async () => {
    const testDb = await testDatabase('db_notx_multi');
    const db = await open(testDb, migrationsFolder({ '001_t.sql': 'CREATE TABLE t (v int);' }));
    const twoStatements = {
      id: '002_two',
      sql: 'CREATE INDEX CONCURRENTLY t_v ON t (v); CREATE INDEX CONCURRENTLY t_v2 ON t (v);',
      transaction: false,
    };
    await expect(migrate(db.pool, [twoStatements])).rejects.toThrow(/must hold a single statement/);
    const recorded = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(recorded.rows.map((r) => r.id)).toEqual(['001_t']);
  });
});
