import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { IdempotencyStore, SqlQueryable } from './idempotency-store';
import { idempotencyMigrations, postgresIdempotencyStore } from './postgres-store';
import { redisIdempotencyStore } from './redis-store';

export interface TestStore {
  store: IdempotencyStore;
  /** Every value the engine holds, as text (to check what leaks into it). */
  dump(): Promise<string>;
  /** Runs `work` in a transaction of the store's own database (PostgreSQL only). */
  transaction?<T>(work: (db: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Redis on the test server, under a prefix of its own. */
export function redisTestStore(): TestStore {
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  const prefix = `test:http:idem:${randomBytes(6).toString('hex')}:`;
  return {
    store: redisIdempotencyStore(redis, prefix),
    async dump() {
      const keys = await redis.keys(`${prefix}*`);
      return `${keys.join()}\n${(await Promise.all(keys.map((k) => redis.get(k)))).join()}`;
    },
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** A database of its own on the test server, with the store's migration applied. */
export async function postgresTestStore(): Promise<TestStore> {
  const server = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `test_http_idem_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  // DROP ... WITH (FORCE) ends connections pool.end() has not finished closing: not an error of the test.
  pool.on('error', () => undefined);
  for (const migration of idempotencyMigrations) await pool.query(migration.sql);
  return {
    store: postgresIdempotencyStore(pool),
    async dump() {
      const { rows } = await pool.query('SELECT * FROM idempotency_keys');
      return JSON.stringify(rows);
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
