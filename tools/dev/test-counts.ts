/** Test totals read from the runners' own summary lines, for one closing line over all projects. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Vitest test files that failed as a whole (a beforeAll, an import): their tests count as skipped, not failed. */
  failedFiles: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Vitest ends each run with `Test Files  1 failed | 3 passed (4)` and `Tests  12 passed | 1 failed | 2 skipped (15)`;
 * Playwright with lines such as `  12 passed (30.1s)` and `  1 failed`. Anything else counts nothing.
 */
export function parseTestCounts(rawLine: string): Partial<TestCounts> {
  const line = rawLine.replace(ANSI, '');
  const files = /^\s*Test Files\s+(\d+) failed\b/.exec(line);
  if (files?.[1]) return { failedFiles: Number(files[1]) };
  const vitest = /^\s*Tests\s+(.+?)\s*\(\d+\)\s*$/.exec(line);
  if (vitest?.[1]) {
    const counts: Partial<TestCounts> = {};
    for (const part of vitest[1].split('|')) {
      const m = /(\d+)\s+(passed|failed|skipped|todo)/.exec(part);
      if (!m?.[1]) continue;
      const key = m[2] === 'todo' ? 'skipped' : (m[2] as keyof TestCounts);
      counts[key] = (counts[key] ?? 0) + Number(m[1]);
    }
    return counts;
  }
  const playwright = /^\s+(\d+)\s+(passed|failed|skipped|flaky)(\s+\([\d.]+m?s\))?\s*$/.exec(line);
  if (playwright?.[1]) {
    // A flaky test failed first and passed on retry: it passed.
    const key = playwright[2] === 'flaky' ? 'passed' : (playwright[2] as keyof TestCounts);
    return { [key]: Number(playwright[1]) };
  }
  return {};
}

export function addCounts(total: TestCounts, more: Partial<TestCounts>): void {
  total.passed += more.passed ?? 0;
  total.failed += more.failed ?? 0;
  total.skipped += more.skipped ?? 0;
  total.failedFiles += more.failedFiles ?? 0;
}
