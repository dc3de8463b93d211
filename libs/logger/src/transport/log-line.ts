import type { WireLogEntry } from './log-batch-encoding';

const LEVELS: Record<string, number> = { trace: 0, debug: 0, info: 1, warn: 2, error: 3, fatal: 3 };
const RESERVED = new Set(['level', 'time', 'service', 'msg']);
const MAX_ATTRIBUTES = 32;
const MAX_VALUE_CHARS = 1024;
const MAX_MESSAGE_CHARS = 16 * 1024;

/** One JSON line of the logger (already redacted) as a LogEntry; undefined for a line that is not ours. */
export function lineToEntry(line: string): WireLogEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(record)) {
    if (RESERVED.has(key) || value === undefined || count >= MAX_ATTRIBUTES) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    attributes[key] = text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) : text;
    count += 1;
  }
  const message = typeof record['msg'] === 'string' ? record['msg'] : '';
  const time = typeof record['time'] === 'string' ? Date.parse(record['time']) : NaN;
  return {
    source: typeof record['service'] === 'string' ? record['service'] : 'unknown',
    level: LEVELS[String(record['level'])] ?? 1,
    message: message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message,
    timestampMs: Number.isFinite(time) ? time : Date.now(),
    attributes,
  };
}
