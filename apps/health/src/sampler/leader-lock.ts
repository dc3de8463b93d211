import pg from 'pg';
import type { Logger } from '@edd/logger';

export interface LeaderLockOptions {
  /** The PostgreSQL URL of the database the replicas share (the lock is per database). */
  databaseUrl: string;
  /** Which lock: one per kind of work (the sampler's is SAMPLER_LOCK_KEY). */
  lockKey: number;
  /** How often a follower tries to take the lock (default 2 s): a dead leader is replaced within about this. */
  retryMs?: number;
  logger?: Logger;
  /** Told on every change (true: this replica now leads). */
  onChange?: (leading: boolean) => void;
}

export interface LeaderLock {
  /** Leading as last checked. */
  readonly leading: boolean;
  /**
   * Asks the server whether this replica still holds the lock (a lost connection means it does not); call before
   * doing the leader's work so a replica cut off from PostgreSQL stops at once.
   */
  confirm(): Promise<boolean>;
  stop(): Promise<void>;
}

/** "health-sampler" as a 32-bit key: fixed, so every replica contends for the same lock. */
export const SAMPLER_LOCK_KEY = 0x6865616c;

/**
 * Leader election with a PostgreSQL session-level advisory lock: the holder's own connection keeps it, and the server
 * releases it the moment that connection ends (a killed process, a closed socket; TCP keepalive for a silent one).
 * Followers retry every `retryMs`. One dedicated connection per replica, outside the pool.
 */
export function startLeaderLock(options: LeaderLockOptions): LeaderLock {
  const retryMs = options.retryMs ?? 2_000;
  let client: pg.Client | undefined;
  let leading = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> = Promise.resolve();

  const setLeading = (value: boolean) => {
    if (value === leading) return;
    leading = value;
    options.logger?.info(value ? 'leader: elected' : 'leader: lost the lock', { lockKey: options.lockKey });
    options.onChange?.(value);
  };

  const dropClient = () => {
    const old = client;
    client = undefined;
    setLeading(false);
    if (old) void old.end().catch(() => undefined);
  };

  async function connection(): Promise<pg.Client> {
    if (client) return client;
    const fresh = new pg.Client({ connectionString: options.databaseUrl, keepAlive: true, connectionTimeoutMillis: 5_000 });
    fresh.on('error', () => {
      if (client === fresh) dropClient();
    });
    await fresh.connect();
    // Queries of the lock's own connection are short: a stuck server is a lost leadership.
    await fresh.query('SET statement_timeout = 5000');
    client = fresh;
    return fresh;
  }

  async function tryAcquire(): Promise<void> {
    if (stopped || leading) return;
    try {
      const conn = await connection();
      const { rows } = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [options.lockKey]);
      setLeading(rows[0]?.locked === true);
    } catch (error) {
      options.logger?.warn('leader: lock attempt failed', { error: String(error) });
      dropClient();
    }
  }

  const loop = () => {
    attempt = tryAcquire().finally(() => {
      if (!stopped) timer = setTimeout(loop, retryMs);
    });
  };
  loop();

  return {
    get leading() {
      return leading;
    },
    async confirm() {
      if (!leading || !client) return false;
      try {
        const { rows } = await client.query<{ held: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
             AND ((classid::bigint << 32) | objid::bigint) = $1) AS held`,
          [options.lockKey],
        );
        if (rows[0]?.held !== true) setLeading(false);
      } catch {
        dropClient();
      }
      return leading;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await attempt;
      const old = client;
      client = undefined;
      setLeading(false);
      // Ending the session releases the lock at once; the next replica takes it on its next try.
      await old?.end().catch(() => undefined);
    },
  };
}
