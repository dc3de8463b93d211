import { describe, expect, it } from 'vitest';
import { addCounts, parseTestCounts, type TestCounts } from './test-counts';

describe('parseTestCounts', () => {
  it('reads Vitest summaries, coloured or not, and ignores the Test Files line', () => {
    expect(parseTestCounts('      Tests  12 passed (12)')).toEqual({ passed: 12 });
    expect(
      parseTestCounts(
        '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m2 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[1m\u001b[32m4 passed\u001b[39m\u001b[22m\u001b[90m (6)\u001b[39m',
      ),
    ).toEqual({ failed: 2, passed: 4 });
    expect(parseTestCounts(' Tests  3 passed | 1 skipped | 2 todo (6)')).toEqual({ passed: 3, skipped: 3 });
    expect(parseTestCounts(' Test Files  3 passed (3)')).toEqual({});
  });

  it('counts Vitest test files that failed as a whole, whose tests show as skipped', () => {
    expect(parseTestCounts(' Test Files  1 failed | 26 passed (27)')).toEqual({ failedFiles: 1 });
    expect(parseTestCounts('\u001b[2m Test Files \u001b[22m \u001b[1m\u001b[31m2 failed\u001b[39m (2)')).toEqual({ failedFiles: 2 });
  });

  it('reads Playwright summaries', () => {
    expect(parseTestCounts('  7 passed (31.2s)')).toEqual({ passed: 7 });
    expect(parseTestCounts('  1 failed')).toEqual({ failed: 1 });
    expect(parseTestCounts('  2 flaky')).toEqual({ passed: 2 });
  });

  it('ignores ordinary output', () => {
    expect(parseTestCounts('auth: 3 passed the check')).toEqual({});
    expect(parseTestCounts('')).toEqual({});
  });

  it('adds up', () => {
    const total: TestCounts = { passed: 1, failed: 0, skipped: 0, failedFiles: 0 };
    addCounts(total, { passed: 2, failed: 1 });
    addCounts(total, { failedFiles: 1 });
    expect(total).toEqual({ passed: 3, failed: 1, skipped: 0, failedFiles: 1 });
  });
});
