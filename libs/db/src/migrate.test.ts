import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, openDatabase } from './index';
import type { Database } from './index';
import { createTestDatabase } from './testing';
import type { TestDatabase } from './testing';

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'edd-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migrations against a real PostgreSQL', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function open(testDb: TestDatabase, dir: string): Promise<Database> {
    const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: dir });
    cleanup.push(() => db.close());
    return db;
  }

  it('creates the database, applies migrations in numeric order, once', async () => {
    const testDb = await createTestDatabase('db_order');
    cleanup.push(() => testDb.drop());
    const dir = migrationsFolder({
      '010_second.sql': "INSERT INTO items (name) VALUES ('second');",
      '002_first.sql': "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO items (name) VALUES ('first');",
    });
    const first = await open(testDb, dir);
    const rows = await first.query<{ name: string }>('SELECT name FROM items ORDER BY id');
    expect(rows.rows.map((r) => r.name)).toEqual(['first', 'second']);

    // A second start (a restart, or another replica) applies nothing again.
    const second = await open(testDb, dir);
    expect((await second.query('SELECT count(*)::int AS n FROM items')).rows[0]).toEqual({ n: 2 });
    const recorded = await second.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(recorded.rows.map((r) => r.id)).toEqual(['002_first', '010_second']);
  });

  it('leaves nothing half-applied when a migration fails', async () => {
    const testDb = await createTestDatabase('db_fail');
    cleanup.push(() => testDb.drop());
    const dir = migrationsFolder({
      '001_ok.sql': 'CREATE TABLE a (id int);',
      '002_bad.sql': 'CREATE TABLE b (id int); SELECT * FROM missing_table;',
    });
    await expect(openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: dir })).rejects.toThrow(
      /migration 002_bad failed/,
    );
    const db = await open(testDb, migrationsFolder({}));
    const tables = await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.rows.map((r) => r.t)).toEqual(['a', 'schema_migrations']);
  });

  it('replicas starting together apply each migration exactly once', async () => {
    const testDb = await createTestDatabase('db_race');
    cleanup.push(() => testDb.drop());
    const dir = migrationsFolder({
      '001_counter.sql': 'CREATE TABLE runs (at timestamptz DEFAULT now()); INSERT INTO runs DEFAULT VALUES;',
    });
    const dbs = await Promise.all([open(testDb, dir), open(testDb, dir), open(testDb, dir)]);
    expect((await dbs[0]!.query('SELECT count(*)::int AS n FROM runs')).rows[0]).toEqual({ n: 1 });
  });

  it('rolls back a transaction whose callback throws', async () => {
    const testDb = await createTestDatabase('db_tx');
    cleanup.push(() => testDb.drop());
    const db = await open(testDb, migrationsFolder({ '001_t.sql': 'CREATE TABLE t (v int);' }));
    await expect(
      db.tx(async (client) => {
        await client.query('INSERT INTO t VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT count(*)::int AS n FROM t')).rows[0]).toEqual({ n: 0 });
  });

  it('does not pool a connection that died inside a transaction', async () => {
    const testDb = await createTestDatabase('db_tx_dead');
    cleanup.push(() => testDb.drop());
    const db = await open(testDb, migrationsFolder({}));
    await expect(db.tx(async (client) => client.query('SELECT pg_terminate_backend(pg_backend_pid())'))).rejects.toThrow();
    // Every later query gets a live connection.
    for (let i = 0; i < 3; i += 1) expect((await db.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    expect(await db.tx(async (client) => (await client.query('SELECT 2 AS two')).rows[0])).toEqual({ two: 2 });
  });

  it('rejects badly named migration files instead of skipping them', () => {
    expect(() => loadMigrations(migrationsFolder({ 'init.sql': 'SELECT 1;' }))).toThrow(/NNN_name\.sql/);
  });
});
