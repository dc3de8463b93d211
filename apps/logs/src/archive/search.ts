import type { Database } from '@edd/db';
import { LEVELS } from '../entries/log-entry';
import type { LevelName, LogRecord } from '../entries/log-entry';

export interface ArchiveQuery {
  source?: string;
  minLevel?: LevelName;
  sinceMs: number;
  untilMs: number;
  /** Case-insensitive substring of the message. */
  text?: string;
  limit: number;
  /** Set for a non-admin: only entries about this user's containers. */
  ownerId?: string;
}

interface EntryRow {
  ts_ms: string;
  source: string;
  level: number;
  message: string;
  attributes: Record<string, string>;
}

const toRecord = (row: EntryRow): LogRecord => ({
  source: row.source,
  level: LEVELS[row.level] ?? 'INFO',
  message: row.message,
  timeMs: Number(row.ts_ms),
  attributes: row.attributes,
});

const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const SELECT = `SELECT (extract(epoch FROM ts) * 1000)::bigint AS ts_ms, source, level, message, attributes FROM log_entries`;

/** Newest first, bounded by the time range (partition pruning) and `limit`. */
export async function searchArchive(db: Database, query: ArchiveQuery): Promise<LogRecord[]> {
  const where = ['ts >= to_timestamp($1 / 1000.0)', 'ts < to_timestamp($2 / 1000.0)'];
  const params: unknown[] = [query.sinceMs, query.untilMs];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (query.source) add('source = ?', query.source);
  if (query.minLevel) add('level >= ?', LEVELS.indexOf(query.minLevel));
  if (query.text) add(`message ILIKE ? ESCAPE '\\'`, likePattern(query.text));
  if (query.ownerId !== undefined) add('owner_id = ?', query.ownerId);
  params.push(query.limit);
  const { rows } = await db.query<EntryRow>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY ts DESC, stream_seq DESC, position DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toRecord);
}

const PAGE = 1_000;

/**
 * Every archived entry of one UTC day, oldest first, a page at a time (keyset pagination): memory stays bounded by the
 * page whatever the day holds.
 */
export async function* dayEntries(db: Database, dayStartMs: number, ownerId: string | undefined): AsyncGenerator<LogRecord[]> {
  let after: { ts: string; seq: string; position: number } | undefined;
  for (;;) {
    const params: unknown[] = [dayStartMs, dayStartMs + 24 * 60 * 60 * 1000];
    const where = ['ts >= to_timestamp($1 / 1000.0)', 'ts < to_timestamp($2 / 1000.0)'];
    if (ownerId !== undefined) {
      params.push(ownerId);
      where.push(`owner_id = $${params.length}`);
    }
    if (after) {
      params.push(after.ts, after.seq, after.position);
      const n = params.length;
      where.push(`(ts, stream_seq, position) > ($${n - 2}::timestamptz, $${n - 1}::bigint, $${n}::int)`);
    }
    const { rows } = await db.query<EntryRow & { ts: string; stream_seq: string; position: number }>(
      `SELECT ts::text AS ts, stream_seq, position, (extract(epoch FROM ts) * 1000)::bigint AS ts_ms, source, level, message, attributes
         FROM log_entries WHERE ${where.join(' AND ')} ORDER BY ts, stream_seq, position LIMIT ${PAGE}`,
      params,
    );
    if (!rows.length) return;
    yield rows.map(toRecord);
    const last = rows.at(-1);
    if (!last) return;
    after = { ts: last.ts, seq: last.stream_seq, position: last.position };
    if (rows.length < PAGE) return;
  }
}
