import { describe, expect, it } from 'vitest';
import { docWithKeptNotes } from './notifications-report';

describe('docWithKeptNotes', () => {
  const report = '# Notifications benchmark\n\nMeasured ...\n\n| p99 | 20 ms |\n';

  it('keeps the notes below the old report, from its first second-level heading on, after the new report', () => {
    const previous = '# Notifications benchmark\n\n| p99 | 85 ms |\n\n## Run to run (2026-12-02)\n\nFive runs.\n\n## Why\n\nWAL.\n';
    expect(docWithKeptNotes(report, previous)).toBe(`${report}\n## Run to run (2026-12-02)\n\nFive runs.\n\n## Why\n\nWAL.\n`);
  });

  it('is the report alone when there is no previous doc or it holds no notes', () => {
    expect(docWithKeptNotes(report, undefined)).toBe(report);
    expect(docWithKeptNotes(report, '# Notifications benchmark\n\n| p99 | 85 ms |\n')).toBe(report);
  });
});
