import pg from 'pg';

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The URL of `database` on the same server as `serverUrl` (DATABASE_URL names the server). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates `database` when it does not exist yet; safe when several replicas start together. Looks first, so a
 * service role without CREATEDB whose database was provisioned never attempts CREATE DATABASE.
 */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  if (!DATABASE_NAME.test(database)) throw new Error(`invalid database name: ${database}`);
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres'), connectionTimeoutMillis: 5_000 });
  // A lost connection fails the pending query; the 'error' event itself must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return;
    try {
      // Identifiers cannot be bound as parameters; the name was checked against DATABASE_NAME above.
      await client.query(`CREATE DATABASE "${database}"`);
    } catch (error) {
      // 42P04 duplicate_database, 23505 unique_violation: another replica created it first.
      const code = (error as { code?: string }).code;
      // 42501 insufficient_privilege: a service role (NOCREATEDB) whose database was never provisioned.
      if (code === '42501')
        throw new Error(
          `database ${database} does not exist and ${new URL(serverUrl).username || 'this role'} may not create it: provision it first (provisionServiceDatabase; npm start and the manifests' provision Job do)`,
          { cause: error },
        );
      if (code !== '42P04' && code !== '23505') throw error;
    }
  } finally {
    await client.end();
  }
}
