import { describe, expect, it } from 'vitest';
import { failureDigest } from './failure-digest';

const vitestRun = [
  ' ✓ tools/dev/a.test.ts (3 tests) 12ms',
  ' ❯ tools/dev/b.test.ts (2 tests | 2 skipped) 4ms',
  '',
  '\u001b[31m⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯\u001b[39m',
  '',
  ' FAIL  tools/dev/b.test.ts [ tools/dev/b.test.ts ]',
  'Error: nats-server exited with 1 before it was ready',
  '⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯',
  '',
  ' Test Files  1 failed | 1 passed (2)',
  '      Tests  3 passed | 2 skipped (5)',
];

describe('failureDigest', () => {
  it("keeps Vitest's failure report, without colours, and nothing of the passing output", () => {
    const digest = failureDigest(['> nx run tools:test', ...vitestRun, '> nx run auth:test', ' ✓ apps/auth/x.test.ts (1 test)']);
    expect(digest[0]).toBe('⎯⎯⎯⎯⎯⎯ Failed Suites 1 ⎯⎯⎯⎯⎯⎯⎯');
    expect(digest).toContain('Error: nats-server exited with 1 before it was ready');
    expect(digest.join('\n')).not.toMatch(/✓|Test Files/);
    expect(digest.join('\n')).not.toContain('\u001b');
  });

  it("keeps Playwright's numbered failures up to its summary", () => {
    const digest = failureDigest([
      'Running 40 tests using 1 worker',
      '  1) [chromium] › notifications.spec.ts:10:1 › a notification arrives live',
      '    Error: expect(locator).toContainText(expected) failed',
      '  1 failed',
      '  39 passed (4.2m)',
    ]);
    expect(digest).toEqual([
      '  1) [chromium] › notifications.spec.ts:10:1 › a notification arrives live',
      '    Error: expect(locator).toContainText(expected) failed',
      '',
    ]);
  });

  it('is empty for a run without failures, and says how much it cut from a long one', () => {
    expect(failureDigest([' ✓ a.test.ts (1 test)', ' Test Files  1 passed (1)'])).toEqual([]);
    const long = ['⎯⎯⎯ Failed Tests 1 ⎯⎯⎯', ...Array.from({ length: 50 }, (_, i) => `line ${i}`)];
    const digest = failureDigest(long, 10);
    expect(digest).toHaveLength(11);
    expect(digest.at(-1)).toBe('… 41 more lines: see the full log above');
  });
});
