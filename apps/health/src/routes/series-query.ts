import { HttpError } from '@edd/http';
import type { Resolution, SeriesQuery } from '../data/samples';

const HOUR = 3600_000;
const MAX_WINDOW_MS = 31 * 24 * HOUR;
const RESOLUTIONS: readonly Resolution[] = ['raw', '1m', '5m', '15m'];

/** As the original chose it: up to 1 h raw, up to 6 h 1 m, up to 24 h 5 m, beyond that 15 m. */
export function autoResolution(windowMs: number): Resolution {
  if (windowMs <= HOUR) return 'raw';
  if (windowMs <= 6 * HOUR) return '1m';
  if (windowMs <= 24 * HOUR) return '5m';
  return '15m';
}

/** A time as RFC 3339 or Unix milliseconds. */
function parseTime(name: string, value: unknown): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 40)
    throw new HttpError('invalid_request', `${name}: expected RFC 3339 or Unix milliseconds`);
  const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new HttpError('invalid_request', `${name}: expected RFC 3339 or Unix milliseconds`);
  return date;
}

/** `?start&end&resolution`: default the last hour; end after start; at most 31 days; resolution chosen when absent. */
export function parseSeriesQuery(query: Record<string, unknown>, now: Date = new Date()): SeriesQuery {
  const end = parseTime('end', query['end']) ?? now;
  const start = parseTime('start', query['start']) ?? new Date(end.getTime() - HOUR);
  if (start.getTime() >= end.getTime()) throw new HttpError('invalid_request', 'start: must be before end');
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS) throw new HttpError('invalid_request', 'the window is at most 31 days');
  const asked = query['resolution'];
  if (asked !== undefined && asked !== '' && !RESOLUTIONS.includes(asked as Resolution)) {
    throw new HttpError('invalid_request', `resolution: one of ${RESOLUTIONS.join(', ')}`);
  }
  const resolution = asked ? (asked as Resolution) : autoResolution(end.getTime() - start.getTime());
  return { start, end, resolution };
}
