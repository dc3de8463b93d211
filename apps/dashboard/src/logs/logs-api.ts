import { liveSocketUrl } from '../api/live-url';
import { authApi } from '../api/clients';
import { platform } from '../platform/platform-config';

/** An entry as the log service answers it (docs/api/logs.md). */
export interface LogEntryJson {
  source: string;
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  timestamp: string;
  timeMs: number;
  attributes: Record<string, string>;
}

export interface LogFilter {
  source?: string;
  level?: string;
  q?: string;
}

export interface SearchParams extends LogFilter {
  since?: string;
  until?: string;
  limit?: number;
}

// The log service is served under /logs on the health host (the gateway keeps the prefix).
const base = platform.urls.health;

const params = (values: Record<string, string | number | undefined>) =>
  Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
      .map(([k, v]) => [k, String(v)]),
  );

/** `GET /logs/api/entries`: archived entries (WARN+ and audit), newest first. */
export async function searchLogs(search: SearchParams): Promise<LogEntryJson[]> {
  const query = new URLSearchParams(params({ ...search })).toString();
  const res = await fetch(`${base}/logs/api/entries?${query}`, { credentials: 'include', headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => ({}))) as { entries?: LogEntryJson[]; error?: string };
  if (!res.ok) throw new Error(body.error ?? `search failed (${res.status})`);
  return body.entries ?? [];
}

export const downloadUrl = (date: string): string => `${base}/logs/download?date=${encodeURIComponent(date)}`;

/** `WS /logs/ws`, authenticated by a single-use ticket for the log service (a browser cannot set headers on a WebSocket). */
export async function openLogTail(filter: LogFilter): Promise<WebSocket> {
  const { ticket } = await authApi.issueTicket('logs');
  return new WebSocket(liveSocketUrl(base, '/logs/ws', { ...params({ ...filter }), ticket }));
}
