import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { coverageTable, floorProblems, raiseFloors, readCoverageSummaries } from './coverage-report';

const dir = mkdtempSync(join(tmpdir(), 'coverage-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summary(project: string, lines: number, branches: number | 'Unknown', functions: number): void {
  mkdirSync(join(dir, project), { recursive: true });
  const total = { lines: { pct: lines }, statements: { pct: lines }, branches: { pct: branches }, functions: { pct: functions } };
  writeFileSync(join(dir, project, 'coverage-summary.json'), JSON.stringify({ total, '/abs/file.ts': total }));
}

describe('coverage report', () => {
  summary('scopes', 93.06, 97.43, 100);
  summary('config', 88.5, 'Unknown', 75);
  mkdirSync(join(dir, 'crashed')); // a project whose run wrote no summary

  it('reads each project’s json summary, sorted by name', () => {
    expect(readCoverageSummaries(dir)).toEqual([
      { project: 'config', lines: 88.5, branches: 100, functions: 75 },
      { project: 'scopes', lines: 93.06, branches: 97.43, functions: 100 },
    ]);
    expect(readCoverageSummaries(join(dir, 'missing'))).toEqual([]);
  });

  it('fails a project below its floor, one without a floor, and an expected one that wrote nothing', () => {
    const measured = readCoverageSummaries(dir);
    expect(floorProblems(measured, { config: 88, scopes: 93 })).toEqual([]);
    expect(floorProblems(measured, { config: 89, scopes: 93 }, ['config', 'scopes', 'crashed'])).toEqual([
      'config: lines 88.5 % is below its floor of 89 %',
      'crashed: no coverage summary was written',
    ]);
    expect(floorProblems(measured, { scopes: 93 })).toEqual(['config: no coverage floor (lines 88.5 %)']);
  });

  it('raises floors to today’s figures rounded down and never lowers one', () => {
    const measured = readCoverageSummaries(dir);
    expect(raiseFloors(measured, { scopes: 95, gone: 50 })).toEqual({ config: 86, gone: 50, scopes: 95 });
    expect(raiseFloors(measured, { scopes: 90 })).toEqual({ config: 86, scopes: 91 });
  });

  it('prints lines, branches, functions, the floor and the verdict per project', () => {
    const text = coverageTable(readCoverageSummaries(dir), { config: 89 });
    expect(text.split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['project', 'lines', 'branches', 'functions', 'floor', 'status'],
      ['config', '88.5 %', '100.0 %', '75.0 %', '89', 'below floor'],
      ['scopes', '93.1 %', '97.4 %', '100.0 %', '-', 'no floor'],
    ]);
  });
});
