import type { Database } from '@edd/db';

const DAY_MS = 24 * 60 * 60 * 1000;
const PARTITION_PREFIX = 'log_entries_p';

/** `2026-12-02` for the UTC day of `ms`. */
export const utcDay = (ms: number): string => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

const partitionName = (day: string): string => `${PARTITION_PREFIX}${day.replaceAll('-', '')}`;

/**
 * Day partitions of log_entries, made as entries for a new day arrive. Creation is serialized across replicas by an
 * advisory lock (two concurrent CREATE ... IF NOT EXISTS can still collide); days already made are remembered.
 */
export class Partitions {
  private readonly known = new Set<string>();

  constructor(private readonly db: Database) {}

  async ensure(days: Iterable<string>): Promise<void> {
    for (const day of days) {
      if (this.known.has(day)) continue;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
      const next = utcDay(Date.parse(`${day}T00:00:00Z`) + DAY_MS);
      await this.db.tx(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('log_entries partitions'))");
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF log_entries FOR VALUES FROM ('${day}') TO ('${next}')`,
        );
      });
      this.known.add(day);
    }
  }

  /** Drops the partitions of days before `today - retentionDays`; returns the days dropped. */
  async dropOlderThan(retentionDays: number, nowMs = Date.now()): Promise<string[]> {
    const oldestKept = utcDay(nowMs - retentionDays * DAY_MS).replaceAll('-', '');
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'log_entries'::regclass`,
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const digits = name.slice(PARTITION_PREFIX.length);
      if (!name.startsWith(PARTITION_PREFIX) || !/^\d{8}$/.test(digits) || digits >= oldestKept) continue;
      await this.db.query(`DROP TABLE IF EXISTS ${name}`);
      const day = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`;
      this.known.delete(day);
      dropped.push(day);
    }
    return dropped.sort();
  }
}
