import { describe, expect, it } from 'vitest';
import { formatTime, toDate } from './format-time';

describe('toDate', () => {
  it('reads ISO strings and Unix seconds', () => {
    expect(toDate('2026-01-02T03:04:05.000Z')?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(toDate(1_700_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('treats null, 0 and garbage as no date', () => {
    expect(toDate(null)).toBeNull();
    expect(toDate(0)).toBeNull();
    expect(toDate('not a date')).toBeNull();
    expect(formatTime(null, 'never')).toBe('never');
  });
});
