import type { LogRecord } from '../entries/log-entry';

/** An entry as HTTP, WebSocket and SSE clients get it: the level by name (always present), the time as ISO and ms. */
export const entryJson = (entry: LogRecord) => ({
  source: entry.source,
  level: entry.level,
  message: entry.message,
  timestamp: new Date(entry.timeMs).toISOString(),
  timeMs: entry.timeMs,
  attributes: entry.attributes,
});
