import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { green, red, table, yellow } from './output';

/**
 * Per-project coverage as each project's `nx test` leaves it (Vitest's json-summary reporter writes
 * `coverage/<project>/coverage-summary.json`), compared with the committed floors (lines %).
 * Floors only go up: `raiseFloors` never lowers one.
 */
export const COVERAGE_DIR = 'coverage';
export const FLOORS_FILE = 'tools/dev/coverage-floors.json';

export interface ProjectCoverage {
  project: string;
  lines: number;
  branches: number;
  functions: number;
}

/** Project name -> the lines % its tests must not fall below. */
export type CoverageFloors = Record<string, number>;

interface SummaryFile {
  total: Record<'lines' | 'branches' | 'functions', { pct: number | 'Unknown' }>;
}

// Istanbul writes "Unknown" when a project has nothing of that kind to cover (no branches at all).
const pct = (value: number | 'Unknown'): number => (typeof value === 'number' ? value : 100);

/** Every project under `dir` that has a summary, sorted by name. */
export function readCoverageSummaries(dir: string): ProjectCoverage[] {
  if (!existsSync(dir)) return [];
  const measured: ProjectCoverage[] = [];
  for (const project of readdirSync(dir).sort()) {
    const file = join(dir, project, 'coverage-summary.json');
    if (!existsSync(file)) continue;
    const { total } = JSON.parse(readFileSync(file, 'utf8')) as SummaryFile;
    measured.push({ project, lines: pct(total.lines.pct), branches: pct(total.branches.pct), functions: pct(total.functions.pct) });
  }
  return measured;
}

export function readFloors(file: string): CoverageFloors {
  return JSON.parse(readFileSync(file, 'utf8')) as CoverageFloors;
}

/**
 * What is wrong, one line each: a project below its floor, a measured project without a floor, and an
 * `expected` project (one whose tests ran) that left no summary.
 */
export function floorProblems(measured: readonly ProjectCoverage[], floors: CoverageFloors, expected: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const { project, lines } of measured) {
    const floor = floors[project];
    if (floor === undefined) problems.push(`${project}: no coverage floor (lines ${lines.toFixed(1)} %)`);
    else if (lines < floor) problems.push(`${project}: lines ${lines.toFixed(1)} % is below its floor of ${floor} %`);
  }
  const seen = new Set(measured.map((m) => m.project));
  for (const project of expected) if (!seen.has(project)) problems.push(`${project}: no coverage summary was written`);
  return problems;
}

/** Today's figures rounded down, for projects that have none yet or whose coverage rose; never lower. */
/**
 * Points a floor stays under the measured figure: integration tests take timing-dependent paths (a reconnect,
 * a retry), so one run's lines differ from the next by up to a point; the floor must catch a drop, not noise.
 */
export const FLOOR_MARGIN = 2;

export function raiseFloors(measured: readonly ProjectCoverage[], floors: CoverageFloors): CoverageFloors {
  const raised: CoverageFloors = { ...floors };
  for (const { project, lines } of measured)
    raised[project] = Math.max(floors[project] ?? 0, Math.max(0, Math.floor(lines) - FLOOR_MARGIN));
  return Object.fromEntries(Object.entries(raised).sort(([a], [b]) => a.localeCompare(b)));
}

/** One row per project: lines / branches / functions %, the floor and whether it holds. */
export function coverageTable(measured: readonly ProjectCoverage[], floors: CoverageFloors): string {
  const rows = measured.map(({ project, lines, branches, functions }) => {
    const floor = floors[project];
    const verdict = floor === undefined ? yellow('no floor') : lines < floor ? red('below floor') : green('ok');
    return [project, percent(lines), percent(branches), percent(functions), floor === undefined ? '-' : String(floor), verdict];
  });
  return table([['project', 'lines', 'branches', 'functions', 'floor', 'status'], ...rows]);
}

const percent = (value: number): string => `${value.toFixed(1)} %`;

/**
 * Prints the table and every problem; true when all floors hold. `complete`: every project with a floor
 * ran its tests (the whole Vitest phase of `npm test`), so a missing summary is a problem too.
 */
export function printCoverage(workspaceRoot: string, options: { complete: boolean }): boolean {
  const measured = readCoverageSummaries(join(workspaceRoot, COVERAGE_DIR));
  const floors = readFloors(join(workspaceRoot, FLOORS_FILE));
  const problems = floorProblems(measured, floors, options.complete ? Object.keys(floors) : []);
  process.stdout.write(`\nCoverage by project (${COVERAGE_DIR}/<project>/coverage-summary.json; floors in ${FLOORS_FILE})\n`);
  process.stdout.write(`${coverageTable(measured, floors)}\n`);
  for (const problem of problems) process.stdout.write(`${red('coverage:')} ${problem}\n`);
  if (problems.length > 0) {
    process.stdout.write(
      `A floor only goes up: add tests, or for a new project run \`npm run coverage -- --raise-floors\` and commit ${FLOORS_FILE}.\n`,
    );
  }
  return problems.length === 0;
}
