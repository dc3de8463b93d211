import type { RecordStream, Stoppable, StreamRecord } from '@edd/events';
import type { Logger } from '@edd/logger';
import { isArchived, matches } from '../entries/log-entry';
import type { EntryFilter, LogRecord } from '../entries/log-entry';
import { decodeRecord, encodeRecords } from './record-codec';

export interface LiveBatch {
  seq: number;
  entries: LogRecord[];
}

export interface LiveTierOptions {
  stream: RecordStream;
  logger: Logger;
  /** How many of the newest stream records a backlog looks through (each holds up to 500 entries). */
  backlogRecords?: number;
}

export const LIVE_SUFFIX = 'live';
export const ARCHIVE_SUFFIX = 'archive';

// While a subscriber's backlog is read, live batches wait for it; beyond this many it is cut instead of buffered for.
const MAX_PENDING_BATCHES = 10_000;

/**
 * The shared live tier: recent entries in a JetStream stream, so every replica serves the same recent logs and a
 * restart loses none. Each replica follows the stream once and fans batches out to its own subscribers.
 */
export class LiveTier {
  private readonly listeners = new Set<(batch: LiveBatch) => void>();
  private follower: Stoppable | undefined;
  private readonly backlogRecords: number;

  constructor(private readonly options: LiveTierOptions) {
    this.backlogRecords = options.backlogRecords ?? 200;
  }

  async start(): Promise<void> {
    this.follower = await this.options.stream.follow((record) => this.dispatch(record));
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    this.listeners.clear();
  }

  /**
   * Stores entries (already normalized); resolves once the stream has every one of them. Entries the archive keeps go
   * in records of their own (`<prefix>.archive`, the others `<prefix>.live`), so the archive writer reads only those:
   * a tenth of the data when one entry in ten is WARN. Within one call, a tail therefore sees them after the others.
   */
  async publish(entries: readonly LogRecord[]): Promise<void> {
    if (!entries.length) return;
    const archived = entries.filter(isArchived);
    const live = archived.length ? entries.filter((entry) => !isArchived(entry)) : entries;
    await Promise.all([
      ...encodeRecords(live).map((record) => this.options.stream.publish(LIVE_SUFFIX, record)),
      ...encodeRecords(archived).map((record) => this.options.stream.publish(ARCHIVE_SUFFIX, record)),
    ]);
  }

  /** The newest `limit` entries matching `filter` (oldest first), and the stream sequence they reach. */
  async backlog(filter: EntryFilter, limit: number): Promise<{ entries: LogRecord[]; lastSeq: number }> {
    const { first, last } = await this.options.stream.bounds();
    const kept: LogRecord[] = [];
    if (last >= first) {
      await this.options.stream.read(Math.max(first, last - this.backlogRecords + 1), last, (record) => {
        for (const entry of decodeRecord(record.data) ?? []) {
          if (!matches(entry, filter)) continue;
          kept.push(entry);
          if (kept.length > limit * 2) kept.splice(0, kept.length - limit);
        }
      });
    }
    const entries = kept.slice(-limit);
    entries.sort((a, b) => a.timeMs - b.timeMs);
    return { entries, lastSeq: last };
  }

  /**
   * Backlog then live: `send` gets the newest `backlogLimit` matching entries, then every later matching batch,
   * with nothing lost or repeated in between. Returns the unsubscriber; `onOverflow` if the subscriber falls behind.
   */
  async subscribe(
    filter: EntryFilter,
    backlogLimit: number,
    send: (entries: LogRecord[]) => void,
    onOverflow: () => void,
  ): Promise<() => void> {
    let pending: LiveBatch[] | undefined = [];
    let cutoff = Number.POSITIVE_INFINITY;
    const deliver = (batch: LiveBatch) => {
      if (batch.seq <= cutoff) return;
      const matching = batch.entries.filter((entry) => matches(entry, filter));
      if (matching.length) send(matching);
    };
    const listener = (batch: LiveBatch) => {
      if (!pending) return deliver(batch);
      if (pending.length >= MAX_PENDING_BATCHES) return onOverflow();
      pending.push(batch);
    };
    this.listeners.add(listener);
    const unsubscribe = () => void this.listeners.delete(listener);
    try {
      const { entries, lastSeq } = await this.backlog(filter, backlogLimit);
      send(entries);
      cutoff = lastSeq;
      const waiting = pending;
      pending = undefined;
      for (const batch of waiting) deliver(batch);
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  private dispatch(record: StreamRecord): void {
    const entries = decodeRecord(record.data);
    if (!entries) {
      this.options.logger.warn('unreadable live-tier record skipped', { seq: record.seq });
      return;
    }
    const batch = { seq: record.seq, entries };
    for (const listener of this.listeners) listener(batch);
  }
}
