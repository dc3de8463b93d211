import pg from 'pg';
import { databaseUrl } from './ensure-database';

/** A service's own PostgreSQL login and the one database it owns. */
export interface ServiceDatabase {
  database: string;
  role: string;
  password: string;
}

export interface ProvisionResult {
  role: 'created' | 'updated';
  database: 'created' | 'existing' | 'adopted';
  /** Objects in the database that another role owned (tables, views, sequences, functions, types, schemas). */
  objectsReassigned: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
// Serialises provisioners (two Jobs, two `npm start`s); any constant distinct from the migration lock.
const PROVISION_LOCK = 4_242_002;

/** DATABASE_URL for `role`: the server of `serverUrl`, with the role's credentials. */
export function roleServerUrl(serverUrl: string, role: string, password: string): string {
  const url = new URL(serverUrl);
  url.username = role;
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * With an administrator's connection: creates the service's role (LOGIN, NOSUPERUSER, NOCREATEDB,
 * NOCREATEROLE) or resets its password, creates its database owned by it (or hands an existing one
 * over, with the objects another role left in it), and lets no other role connect. Idempotent.
 */
export async function provisionServiceDatabase(adminUrl: string, target: ServiceDatabase): Promise<ProvisionResult> {
  for (const name of [target.database, target.role]) if (!IDENTIFIER.test(name)) throw new Error(`invalid identifier: ${name}`);
  if (!target.password) throw new Error(`empty password for role ${target.role}`);
  const admin = await connect(databaseUrl(adminUrl, 'postgres'));
  let result: Omit<ProvisionResult, 'objectsReassigned'>;
  try {
    await admin.query('SELECT pg_advisory_lock($1)', [PROVISION_LOCK]);
    result = { role: await upsertRole(admin, target), database: await ensureOwnedDatabase(admin, target) };
    // Identifiers were checked against IDENTIFIER above; they cannot be bound as parameters.
    await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE "${target.database}" FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${target.database}" TO "${target.role}"`);
  } finally {
    await admin.end();
  }
  const inside = await connect(databaseUrl(adminUrl, target.database));
  try {
    return { ...result, objectsReassigned: await reassignObjects(inside, target.role) };
  } finally {
    await inside.end();
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  // A lost connection fails the pending query; the 'error' event itself must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function upsertRole(admin: pg.Client, target: ServiceDatabase): Promise<ProvisionResult['role']> {
  // CREATE/ALTER ROLE take no bind parameters: the password goes in as an escaped literal.
  const options = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${admin.escapeLiteral(target.password)}`;
  const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [target.role]);
  if (!found.rowCount) {
    await admin.query(`CREATE ROLE "${target.role}" ${options}`);
    return 'created';
  }
  await admin.query(`ALTER ROLE "${target.role}" WITH ${options}`);
  return 'updated';
}

async function ensureOwnedDatabase(admin: pg.Client, target: ServiceDatabase): Promise<ProvisionResult['database']> {
  const found = await admin.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [
    target.database,
  ]);
  const owner = found.rows[0]?.owner;
  if (owner === undefined) {
    await admin.query(`CREATE DATABASE "${target.database}" OWNER "${target.role}"`);
    return 'created';
  }
  if (owner === target.role) return 'existing';
  await admin.query(`ALTER DATABASE "${target.database}" OWNER TO "${target.role}"`);
  return 'adopted';
}

/**
 * `REASSIGN OWNED BY postgres` is refused for the objects the system owns, so the objects of the
 * database's own schemas are handed over one by one. Left alone: system schemas, members of an
 * extension, and sequences and array/multirange types, which follow their table or type.
 */
const FOREIGN_OWNED = `
  WITH me AS (SELECT oid FROM pg_roles WHERE rolname = $1),
  own_schemas AS (
    SELECT oid, nspname, nspowner FROM pg_namespace
    WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'
  ),
  extension_members AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
  SELECT format('ALTER SCHEMA %I OWNER TO %I', s.nspname, $1) AS statement FROM own_schemas s
    WHERE s.nspowner <> (SELECT oid FROM me) AND pg_get_userbyid(s.nspowner) <> 'pg_database_owner'
      AND (s.oid) NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_namespace'::regclass)
  UNION ALL
  SELECT format('ALTER %s %I.%I OWNER TO %I',
      CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
      s.nspname, c.relname, $1)
    FROM pg_class c JOIN own_schemas s ON s.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relowner <> (SELECT oid FROM me)
      AND c.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_class'::regclass)
      AND NOT (c.relkind = 'S' AND EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
  UNION ALL
  SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $1)
    FROM pg_proc p JOIN own_schemas s ON s.oid = p.pronamespace
    WHERE p.proowner <> (SELECT oid FROM me)
      AND p.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_proc'::regclass)
  UNION ALL
  SELECT format('ALTER TYPE %I.%I OWNER TO %I', s.nspname, t.typname, $1)
    FROM pg_type t JOIN own_schemas s ON s.oid = t.typnamespace
    WHERE t.typowner <> (SELECT oid FROM me)
      AND (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
      AND t.oid NOT IN (SELECT objid FROM extension_members WHERE classid = 'pg_type'::regclass)`;

async function reassignObjects(client: pg.Client, role: string): Promise<number> {
  const statements = (await client.query<{ statement: string }>(FOREIGN_OWNED, [role])).rows.map((row) => row.statement);
  if (!statements.length) return 0;
  await client.query('BEGIN');
  try {
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return statements.length;
}
