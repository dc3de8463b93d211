import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COVERAGE_DIR, FLOORS_FILE, printCoverage, raiseFloors, readCoverageSummaries, readFloors } from './coverage-report';

/**
 * `npm run coverage`: the per-project table of the last `nx test` runs, checked against the floors.
 * `npm run coverage -- --raise-floors`: raises the floors to today's figures (rounded down), never lowers one.
 */
const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

if (process.argv.includes('--raise-floors')) {
  const file = join(WORKSPACE_ROOT, FLOORS_FILE);
  const raised = raiseFloors(readCoverageSummaries(join(WORKSPACE_ROOT, COVERAGE_DIR)), readFloors(file));
  writeFileSync(file, `${JSON.stringify(raised, null, 2)}\n`);
}
process.exit(printCoverage(WORKSPACE_ROOT, { complete: false }) ? 0 : 1);
