import type { LogEntryJson } from './logs-api';

export const MAX_TAIL_ENTRIES = 2_000;

/** The tail keeps the newest `max` entries: a chatty platform must not grow the page's memory without end. */
export function appendEntries(current: readonly LogEntryJson[], incoming: readonly LogEntryJson[], max = MAX_TAIL_ENTRIES): LogEntryJson[] {
  if (!incoming.length) return current as LogEntryJson[];
  const next = current.concat(incoming);
  return next.length > max ? next.slice(next.length - max) : next;
}

/** `08:15:03.123  WARN   storage  message  key=value ...` in the reader's local time (fields carry most of a line's meaning). */
export function formatEntry(entry: LogEntryJson): string {
  const time = new Date(entry.timeMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
  const fields = Object.entries(entry.attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return `${clock}  ${entry.level.padEnd(5)}  ${entry.source}  ${entry.message}${fields ? `  ${fields}` : ''}`;
}
