/** A log entry as the log service stores and serves it (JSON in the live tier, rows in the archive, HTTP bodies). */
export const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LevelName = (typeof LEVELS)[number];

export interface LogRecord {
  source: string;
  level: LevelName;
  message: string;
  /** Unix milliseconds. */
  timeMs: number;
  attributes: Record<string, string>;
}

export const levelRank = (level: LevelName): number => LEVELS.indexOf(level);

export function isLevelName(value: unknown): value is LevelName {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** WARN and above, and audit entries, are archived (logs_db); everything else lives only in the live tier. */
export const isArchived = (entry: LogRecord): boolean => levelRank(entry.level) >= 2 || entry.attributes['audit'] === 'true';

/**
 * Who an entry is about, for non-admin readers: an entry that names a container (`containerId`) and its owner
 * (`ownerId`), attributes set by the service that pushed it (callers are authenticated with the service key).
 */
export function ownerOf(entry: LogRecord): string | undefined {
  return entry.attributes['containerId'] ? entry.attributes['ownerId'] : undefined;
}

export interface EntryFilter {
  source?: string;
  minLevel?: LevelName;
  sinceMs?: number;
  /** Set for a non-admin reader: only entries about this user's containers. */
  ownerId?: string;
  /** Case-insensitive substring of the message. */
  text?: string;
}

export function matches(entry: LogRecord, filter: EntryFilter): boolean {
  if (filter.source !== undefined && entry.source !== filter.source) return false;
  if (filter.minLevel !== undefined && levelRank(entry.level) < levelRank(filter.minLevel)) return false;
  if (filter.sinceMs !== undefined && entry.timeMs < filter.sinceMs) return false;
  if (filter.ownerId !== undefined && ownerOf(entry) !== filter.ownerId) return false;
  if (filter.text !== undefined && !entry.message.toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}
