import type { Timestamp } from '@edd/api-client';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** ISO strings and Unix seconds both become a Date; null/0/invalid become null. */
export function toDate(value: Timestamp | null | undefined): Date | null {
  if (value === null || value === undefined || value === 0 || value === '') return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatTime(value: Timestamp | null | undefined, empty = '—'): string {
  const date = toDate(value);
  return date ? dateTime.format(date) : empty;
}
