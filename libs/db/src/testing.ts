import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { databaseUrl, ensureDatabase } from './ensure-database';
import { openDatabase, type Database } from './open-database';

export interface TestDatabase {
  serverUrl: string;
  database: string;
  url: string;
  drop(): Promise<void>;
}

/** A uniquely named, empty database on the test server, so parallel test files never share state. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 30);
  const database = `test_${safePrefix}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(serverUrl, database);
  return {
    serverUrl,
    database,
    url: databaseUrl(serverUrl, database),
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface MigratedTestDatabase extends TestDatabase {
  /** A pool on the database, with the service's migrations applied. */
  db: Database;
  /** Closes the pool, then drops the database. */
  drop(): Promise<void>;
}

/** createTestDatabase with a service's migrations applied (`migrationsDir` a path or a `file:` URL, e.g. `new URL('../migrations', import.meta.url)`). */
export async function createMigratedTestDatabase(prefix: string, migrationsDir: string | URL): Promise<MigratedTestDatabase> {
  const testDb = await createTestDatabase(prefix);
  const dir = typeof migrationsDir === 'string' ? migrationsDir : fileURLToPath(migrationsDir);
  let db: Database;
  try {
    db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, migrationsDir: dir });
  } catch (error) {
    await testDb.drop();
    throw error;
  }
  return {
    ...testDb,
    db,
    async drop() {
      await db.close();
      await testDb.drop();
    },
  };
}

/** Removes what provisionServiceDatabase made: the database first (it is the role's), then the role. */
export async function dropServiceDatabase(serverUrl: string, target: { database: string; role: string }): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${target.database}" WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS "${target.role}"`);
  } finally {
    await client.end();
  }
}
