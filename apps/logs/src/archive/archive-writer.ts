import type { EventBus, RecordStream, Stoppable, StreamRecord } from '@edd/events';
import type { Database } from '@edd/db';
import type { Logger } from '@edd/logger';
import { isArchived, levelRank, ownerOf } from '../entries/log-entry';
import type { LogRecord } from '../entries/log-entry';
import { ARCHIVE_SUFFIX } from '../live/live-tier';
import { decodeRecord } from '../live/record-codec';
import { Partitions, utcDay } from './partitions';

export interface ArchiveWriterOptions {
  db: Database;
  stream: RecordStream;
  bus: Pick<EventBus, 'publish'>;
  logger: Logger;
  /** Shared by every replica: each live-tier record is archived by one of them. */
  durable: string;
  retentionDays: number;
}

interface Row {
  entry: LogRecord;
  seq: number;
  position: number;
  /** When the live tier stored the record: with seq, tells records of a recreated stream apart. */
  storedMs: number;
}

/**
 * Moves WARN+ and audit entries from the live tier into logs_db: a durable consumer whose batches are acknowledged
 * only after their rows are committed, so a crash at any point redelivers them (and the key drops the repeats).
 * ERROR entries are also published as `log.error.<source>`, with an event id from their position (and the record's
 * store time) so a redelivery is dropped by JetStream's duplicate window.
 */
export async function startArchiveWriter(options: ArchiveWriterOptions): Promise<Stoppable & { partitions: Partitions }> {
  const { db, logger } = options;
  const partitions = new Partitions(db);
  const sweep = async () => {
    try {
      const dropped = await partitions.dropOlderThan(options.retentionDays);
      if (dropped.length) logger.info('archive partitions dropped', { days: dropped });
    } catch (err) {
      logger.warn('archive retention sweep failed', { error: err });
    }
  };
  await sweep();
  const sweeper = setInterval(() => void sweep(), 60 * 60 * 1000);
  sweeper.unref();

  const consumer = await options.stream.consumeBatches({
    durable: options.durable,
    onlySuffix: ARCHIVE_SUFFIX,
    // Records of up to 500 entries: a batch decodes and inserts up to 32,000 rows without holding the event loop long.
    maxBatch: 64,
    handler: async (records) => {
      const rows = rowsOf(records, logger);
      if (rows.length) {
        await partitions.ensure(new Set(rows.map((row) => utcDay(row.entry.timeMs))));
        await insertRows(db, rows);
      }
      const errors = rows.filter((row) => row.entry.level === 'ERROR');
      await Promise.all(
        errors.map((row) =>
          options.bus.publish(
            'log.error',
            {
              source: row.entry.source,
              level: 'ERROR',
              message: row.entry.message,
              timestamp: new Date(row.entry.timeMs).toISOString(),
              attributes: row.entry.attributes,
            },
            { eventId: `log-${row.storedMs}-${row.seq}-${row.position}` },
          ),
        ),
      );
    },
  });
  return {
    partitions,
    async stop() {
      clearInterval(sweeper);
      await consumer.stop();
    },
  };
}

function rowsOf(records: StreamRecord[], logger: Logger): Row[] {
  const rows: Row[] = [];
  for (const record of records) {
    const entries = decodeRecord(record.data);
    if (!entries) {
      logger.warn('unreadable live-tier record not archived', { seq: record.seq });
      continue;
    }
    entries.forEach((entry, position) => {
      if (isArchived(entry)) rows.push({ entry, seq: record.seq, position, storedMs: record.timeMs });
    });
  }
  return rows;
}

/** One statement per batch (arrays unnested), in one transaction: all of the batch or none. */
async function insertRows(db: Database, rows: Row[]): Promise<void> {
  await db.query(
    `INSERT INTO log_entries (ts, stream_seq, position, source, level, message, attributes, owner_id)
     SELECT to_timestamp(t / 1000.0), s, p, src, l, m, a::jsonb, o
       FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::smallint[], $6::text[], $7::text[], $8::text[])
         AS u(t, s, p, src, l, m, a, o)
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.entry.timeMs),
      rows.map((r) => r.seq),
      rows.map((r) => r.position),
      rows.map((r) => r.entry.source),
      rows.map((r) => levelRank(r.entry.level)),
      rows.map((r) => r.entry.message.replaceAll('\u0000', '')),
      rows.map((r) => JSON.stringify(r.entry.attributes).replaceAll('\\u0000', '')),
      rows.map((r) => ownerOf(r.entry) ?? null),
    ],
  );
}
