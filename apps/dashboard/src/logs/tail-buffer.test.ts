import { describe, expect, it } from 'vitest';
import type { LogEntryJson } from './logs-api';
import { appendEntries, formatEntry } from './tail-buffer';

const entry = (message: string, timeMs = 0): LogEntryJson => ({
  source: 'auth',
  level: 'WARN',
  message,
  timestamp: new Date(timeMs).toISOString(),
  timeMs,
  attributes: {},
});

describe('appendEntries', () => {
  it('appends in order and keeps only the newest `max`', () => {
    const kept = appendEntries([entry('a'), entry('b')], [entry('c'), entry('d')], 3);
    expect(kept.map((e) => e.message)).toEqual(['b', 'c', 'd']);
  });
  it('returns the same array when nothing arrives (no re-render)', () => {
    const current = [entry('a')];
    expect(appendEntries(current, [])).toBe(current);
  });
});

describe('formatEntry', () => {
  it('shows local time with milliseconds, the padded level, source and message', () => {
    const at = new Date(2026, 11, 2, 8, 5, 3, 7).getTime();
    expect(formatEntry(entry('disk full', at))).toBe('08:05:03.007  WARN   auth  disk full');
  });
  it('adds the fields as key=value after the message', () => {
    expect(formatEntry({ ...entry('request'), attributes: { method: 'POST', path: '/api/login' } })).toMatch(
      / request {2}method=POST path=\/api\/login$/,
    );
  });
});
