import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NX_QUIET_ENV } from './dev-env';
import { COVERAGE_DIR, printCoverage } from './coverage-report';
import { failureDigest } from './failure-digest';
import { bold, cyan, green, red, yellow } from './output';
import { addCounts, parseTestCounts, type TestCounts } from './test-counts';

/**
 * `npm test`: lint and type-check, every project's Vitest tests, then the browser end-to-end suite.
 * Stops at the first failing phase with its exit code. `.ci/run` calls exactly this.
 */
const WORKSPACE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Phase {
  title: string;
  args: string[];
  /** Why the phase is skipped, when it is. */
  skip?: () => string | undefined;
  before?: () => void;
  /** A check on what the phase left behind, run when it passed; false fails the phase. */
  after?: () => boolean;
}

const PHASES: Phase[] = [
  { title: 'Lint and type-check', args: ['nx', 'run-many', '-t', 'lint,typecheck', '--parallel=2', '--outputStyle=static'] },
  {
    title: 'Unit and integration tests (Vitest)',
    args: ['nx', 'run-many', '-t', 'test', '--parallel=2', '--outputStyle=static'],
    // Each project writes coverage/<project>/; an old summary must not stand in for a project that wrote none.
    before: () => rmSync(`${WORKSPACE_ROOT}${COVERAGE_DIR}`, { recursive: true, force: true }),
    after: () => printCoverage(WORKSPACE_ROOT, { complete: true }),
  },
  {
    title: 'End-to-end suite (Playwright, Chromium)',
    args: ['nx', 'run', 'e2e:e2e', '--outputStyle=static'],
    skip: () => {
      if (process.env['SKIP_E2E'] === '1') return 'SKIP_E2E=1';
      return existsSync(`${WORKSPACE_ROOT}apps/e2e/project.json`) ? undefined : 'apps/e2e does not exist yet';
    },
  },
];

/** Runs one phase, echoing its output; `output` receives every line, for the failure digest. */
function runPhase(phase: Phase, counts: TestCounts, output: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npx', phase.args, {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, ...NX_QUIET_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        out.write(`${line}\n`);
        output.push(line);
        addCounts(counts, parseTestCounts(line));
      });
    }
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, failedFiles: 0 };
  const started = Date.now();
  for (const [index, phase] of PHASES.entries()) {
    const header = `${index + 1}/${PHASES.length} ${phase.title}`;
    process.stdout.write(`\n${cyan('━'.repeat(72))}\n${bold(header)}\n${cyan('━'.repeat(72))}\n`);
    const skipped = phase.skip?.();
    if (skipped) {
      process.stdout.write(`${yellow('skipped')}: ${skipped}\n`);
      continue;
    }
    const phaseStart = Date.now();
    phase.before?.();
    const output: string[] = [];
    let code = await runPhase(phase, counts, output);
    if (code === 0 && phase.after && !phase.after()) code = 1;
    const seconds = ((Date.now() - phaseStart) / 1000).toFixed(1);
    if (code !== 0) {
      const digest = failureDigest(output);
      if (digest.length > 0) process.stdout.write(`\n${bold('What failed (repeated from above):')}\n${digest.join('\n')}\n`);
      process.stdout.write(`\n${red(`✗ ${phase.title} failed (exit ${code}) after ${seconds} s`)}\n`);
      printTotals(counts);
      return code;
    }
    process.stdout.write(`${green(`✓ ${phase.title} passed in ${seconds} s`)}\n`);
  }
  process.stdout.write(`\n${green(`all checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`)}\n`);
  printTotals(counts);
  return 0;
}

/** The plain closing line CI and people read: "N passed, N failed" (", N skipped"). */
function printTotals(counts: TestCounts): void {
  const skipped = counts.skipped ? `, ${counts.skipped} skipped` : '';
  const files = counts.failedFiles ? `, ${counts.failedFiles} test file${counts.failedFiles === 1 ? '' : 's'} failed as a whole` : '';
  process.stdout.write(`${counts.passed} passed, ${counts.failed} failed${skipped}${files}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
