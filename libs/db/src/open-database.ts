import pg from 'pg';
import { databaseUrl, ensureDatabase } from './ensure-database';
import { migrate } from './migrate';
import { loadMigrations } from './migration-files';

export interface Database {
  readonly pool: pg.Pool;
  readonly name: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

interface MigrationLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
}

export interface OpenDatabaseOptions {
  /** DATABASE_URL: the server; the database part is replaced by `database`. */
  serverUrl: string;
  database: string;
  migrationsDir?: string;
  logger?: MigrationLogger;
  maxConnections?: number;
  /** Longest a query of the pool may run (default 15 s); migrations are exempt. */
  statementTimeoutMs?: number;
}

/** Creates the service's database if missing, applies its migrations, and returns a pooled handle. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  await ensureDatabase(options.serverUrl, options.database);
  const pool = new pg.Pool({
    connectionString: databaseUrl(options.serverUrl, options.database),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A runaway query must not hold a request forever.
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    application_name: options.database,
  });
  // An idle client losing its server emits on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  if (options.migrationsDir) {
    const applied = await migrate(pool, loadMigrations(options.migrationsDir));
    if (applied.length) options.logger?.info('migrations applied', { database: options.database, applied });
  }
  return {
    pool,
    name: options.database,
    query: (sql, params) => pool.query(sql, params),
    async tx(fn) {
      const client = await pool.connect();
      // Set when the connection can no longer be trusted: release(error) destroys it instead of pooling it.
      let broken: Error | undefined;
      // A checked-out client whose server goes away emits 'error'; unheard, that would crash the process.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A client whose ROLLBACK failed may still be inside the transaction: never hand it to the next caller.
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}
