import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseUrl, ensureDatabase, openDatabase, provisionServiceDatabase, roleServerUrl } from './index';
import type { ServiceDatabase } from './index';
import { dropServiceDatabase } from './testing';

const ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'edd-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

/** Connects and returns the error PostgreSQL answered with, or undefined when the connection worked. */
async function connectionError(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('provisionServiceDatabase', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  function uniqueService(name: string): ServiceDatabase {
    const suffix = randomBytes(4).toString('hex');
    const target = {
      database: `test_prov_${name}_${suffix}_db`,
      role: `test_prov_${name}_${suffix}`,
      password: randomBytes(12).toString('hex'),
    };
    cleanup.push(() => dropServiceDatabase(ADMIN_URL, target));
    return target;
  }

  async function asAdmin<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: databaseUrl(ADMIN_URL, database) });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  it('gives a service a login that owns its database and can reach no other', async () => {
    const auth = uniqueService('auth');
    const storage = uniqueService('storage');
    expect(await provisionServiceDatabase(ADMIN_URL, auth)).toEqual({ role: 'created', database: 'created', objectsReassigned: 0 });
    await provisionServiceDatabase(ADMIN_URL, storage);
    const authServer = roleServerUrl(ADMIN_URL, auth.role, auth.password);

    const attributes = await asAdmin('postgres', (c) =>
      c.query('SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1', [auth.role]),
    );
    expect(attributes.rows).toEqual([{ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false }]);

    // Its own database: the service opens it (ensureDatabase finds it, creates nothing) and migrates it.
    const db = await openDatabase({
      serverUrl: authServer,
      database: auth.database,
      migrationsDir: migrationsFolder({ '001_users.sql': 'CREATE TABLE users (id serial PRIMARY KEY, name text);' }),
    });
    cleanup.push(() => db.close());
    expect((await db.query('SELECT current_user AS me')).rows[0]).toEqual({ me: auth.role });
    expect((await db.query(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'users'`)).rows[0]).toEqual({
      owner: auth.role,
    });

    // Another service's database: CONNECT is the owner's alone.
    expect(await connectionError(databaseUrl(authServer, storage.database))).toMatch(/permission denied for database/);
    // No new databases either, and ensureDatabase says what to do about a missing one.
    expect(await asRoleQueryError(authServer, `CREATE DATABASE "${auth.database}_x"`)).toMatch(/permission denied to create database/);
    await expect(ensureDatabase(authServer, `${auth.database}_missing`)).rejects.toThrow(
      /does not exist and .* may not create it: provision it first/,
    );
    // The administrator still can.
    expect(await connectionError(databaseUrl(ADMIN_URL, storage.database))).toBeUndefined();
  });

  it('hands over a database another role created, with what is in it, and is idempotent', async () => {
    const logs = uniqueService('logs');
    await asAdmin('postgres', (c) => c.query(`CREATE DATABASE "${logs.database}"`));
    await asAdmin(logs.database, (c) =>
      c.query(`CREATE TABLE entries (id serial PRIMARY KEY, line text);
        CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        CREATE VIEW recent AS SELECT * FROM entries;
        CREATE TYPE level AS ENUM ('info', 'error');
        CREATE SEQUENCE standalone;
        CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE SCHEMA archive; CREATE TABLE archive.old (id int);`),
    );
    const first = await provisionServiceDatabase(ADMIN_URL, logs);
    expect(first).toEqual({ role: 'created', database: 'adopted', objectsReassigned: 8 });
    const owners = await asAdmin(logs.database, (c) =>
      c.query<{
        owner: string;
      }>(`SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace
        WHERE nspname IN ('public', 'archive')`),
    );
    expect(owners.rows).toEqual([{ owner: logs.role }]);

    // The service migrates the tables it now owns, including the old schema_migrations (checksum column added).
    const db = await openDatabase({
      serverUrl: roleServerUrl(ADMIN_URL, logs.role, logs.password),
      database: logs.database,
      migrationsDir: migrationsFolder({ '001_level.sql': 'ALTER TABLE entries ADD COLUMN level level; DROP VIEW recent; SELECT one();' }),
    });
    cleanup.push(() => db.close());
    expect((await db.query('SELECT id FROM schema_migrations')).rows).toEqual([{ id: '001_level' }]);

    const before = await asAdmin('postgres', (c) => c.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [logs.role]));
    expect(await provisionServiceDatabase(ADMIN_URL, { ...logs, password: 'another-password' })).toEqual({
      role: 'updated',
      database: 'existing',
      objectsReassigned: 0,
    });
    const after = await asAdmin('postgres', (c) => c.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [logs.role]));
    expect(after.rows[0]).not.toEqual(before.rows[0]);
  });

  it('rejects names that are not plain identifiers', async () => {
    await expect(provisionServiceDatabase(ADMIN_URL, { database: 'x"; DROP', role: 'r', password: 'p' })).rejects.toThrow(
      /invalid identifier/,
    );
  });
});

async function asRoleQueryError(serverUrl: string, sql: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}
