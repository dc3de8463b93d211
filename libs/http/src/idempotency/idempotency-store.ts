/** Anything that runs SQL (an @edd/db Database or transaction client, a pg Pool), structurally: @edd/http does not depend on @edd/db. */
export interface SqlQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** What an Idempotency-Key holds: the request's fingerprint, and once it was answered, the answer (sealed). */
export interface IdempotencyRecord {
  fingerprint: string;
  status?: number;
  /** The answer's JSON, sealed (AES-256-GCM) with a key derived from the Idempotency-Key, which is never stored. */
  sealed?: string;
}

/**
 * Where the idempotency middleware keeps keys: Redis for the services that have it, PostgreSQL for those whose only
 * store is their database. `key` is already a hash of the caller and their Idempotency-Key. Every engine passes
 * the contract suite in idempotency-store.contract.ts.
 */
export interface IdempotencyStore {
  /** Takes `key` for a first request (no answer yet) for ttlMs; false while it is held or answered and not expired. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<boolean>;
  /** What `key` holds; undefined when it is absent or expired. */
  read(key: string): Promise<IdempotencyRecord | undefined>;
  /** Keeps the answer under `key` for ttlMs. */
  keep(key: string, record: Required<IdempotencyRecord>, ttlMs: number): Promise<void>;
  /** Forgets `key`: the answer is not one to repeat (5xx, 429), so a retry runs again. */
  release(key: string): Promise<void>;
  /**
   * Keeps the answer through `db`, the transaction that creates what it describes, so both commit or neither does.
   * Only a store whose keys live in that same database has it (PostgreSQL).
   */
  keepWithin?(db: SqlQueryable, key: string, record: Required<IdempotencyRecord>, ttlMs: number): Promise<void>;
}
