// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

// Vitest opens its report of what went wrong with a rule such as `⎯⎯⎯ Failed Tests 2 ⎯⎯⎯`, `Failed Suites 1` or
// `Unhandled Errors`, and closes the run with the `Test Files` summary; Playwright's failures start with `  1) `.
const VITEST_REPORT_START = /⎯{3,}\s*(Failed (Tests|Suites) \d+|Unhandled Errors?)\s*⎯{3,}/;
const VITEST_REPORT_END = /^\s*Test Files\s/;
const PLAYWRIGHT_FAILURE = /^\s{2}\d+\) \[/;
const PLAYWRIGHT_REPORT_END = /^\s+\d+ (failed|flaky|passed)\b/;

/**
 * The failure reports in a phase's output, in order, so they can be printed again at its end: in a long CI log of
 * 25 projects run in parallel only the tail is read, and the one failed suite is otherwise 8 minutes up the log.
 * At most `maxLines`; what is cut is said.
 */
export function failureDigest(lines: readonly string[], maxLines = 200): string[] {
  const kept: string[] = [];
  let inReport = false;
  for (const raw of lines) {
    const line = raw.replace(ANSI, '');
    if (!inReport && (VITEST_REPORT_START.test(line) || PLAYWRIGHT_FAILURE.test(line))) inReport = true;
    else if (inReport && (VITEST_REPORT_END.test(line) || PLAYWRIGHT_REPORT_END.test(line))) {
      inReport = false;
      kept.push('');
    }
    if (inReport) kept.push(line);
  }
  if (kept.length <= maxLines) return kept;
  return [...kept.slice(0, maxLines), `… ${kept.length - maxLines} more lines: see the full log above`];
}
