import { LEVELS, isLevelName } from './log-entry';
import type { LevelName, LogRecord } from './log-entry';

/** What arrives from a caller (gRPC LogEntry as proto-loader decodes it), before any check. */
export interface IncomingEntry {
  source?: string;
  level?: string | number;
  message?: string;
  timestamp?: number | string;
  timestamp_ms?: number | string;
  attributes?: Record<string, string>;
}

// The original's rule: a source outside this pattern is stored as `invalid-source`, not refused.
const SOURCE_PATTERN = /^[a-zA-Z0-9._-]{1,128}$/;
export const INVALID_SOURCE = 'invalid-source';
export const MAX_MESSAGE_CHARS = 16 * 1024;
export const MAX_ATTRIBUTES = 32;
const MAX_ATTRIBUTE_KEY_CHARS = 64;
const MAX_ATTRIBUTE_VALUE_CHARS = 1024;
// Timestamps further than this from the server's clock are replaced by it: the archive's day partitions (and its
// retention) must not be steered by a caller's clock.
const MAX_PAST_MS = 13 * 24 * 60 * 60 * 1000;
const MAX_FUTURE_MS = 5 * 60 * 1000;

export function normalizeSource(source: string | undefined): string {
  return source !== undefined && SOURCE_PATTERN.test(source) ? source : INVALID_SOURCE;
}

function levelOf(level: string | number | undefined): LevelName {
  if (isLevelName(level)) return level;
  if (typeof level === 'number' && LEVELS[level]) return LEVELS[level];
  return level === undefined ? 'DEBUG' : 'INFO';
}

function timeOf(entry: IncomingEntry, nowMs: number): number {
  const ms = Number(entry.timestamp_ms ?? 0);
  const seconds = Number(entry.timestamp ?? 0);
  const candidate = ms > 0 ? ms : seconds > 0 ? seconds * 1000 : nowMs;
  if (!Number.isFinite(candidate) || candidate < nowMs - MAX_PAST_MS || candidate > nowMs + MAX_FUTURE_MS) return nowMs;
  return Math.floor(candidate);
}

function attributesOf(attributes: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!attributes) return out;
  let count = 0;
  for (const [key, value] of Object.entries(attributes)) {
    if (count++ >= MAX_ATTRIBUTES) break;
    if (!key || key.length > MAX_ATTRIBUTE_KEY_CHARS || typeof value !== 'string') continue;
    out[key] = value.length > MAX_ATTRIBUTE_VALUE_CHARS ? value.slice(0, MAX_ATTRIBUTE_VALUE_CHARS) : value;
  }
  return out;
}

/** The entry as stored: source checked, message and attributes bounded, time in milliseconds from a sane clock. */
export function normalizeEntry(entry: IncomingEntry, nowMs: number): LogRecord {
  const message = typeof entry.message === 'string' ? entry.message : '';
  return {
    source: normalizeSource(entry.source),
    level: levelOf(entry.level),
    message: message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message,
    timeMs: timeOf(entry, nowMs),
    attributes: attributesOf(entry.attributes),
  };
}
