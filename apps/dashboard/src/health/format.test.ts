import { describe, expect, it } from 'vitest';
import { coresOf, formatBytes, formatNanocores, formatPercent } from './format';

describe('health formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 ** 3)).toBe('200 GiB');
  });

  it('reads CPU quantities and formats percentages and nanocores', () => {
    expect(coresOf('1250m')).toBe(1.25);
    expect(coresOf('2')).toBe(2);
    expect(formatPercent(12.345)).toBe('12.3 %');
    expect(formatNanocores(250_000_000)).toBe('0.25 cores');
  });
});
