import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One config for every project: `nx test <project>` narrows it with `--dir`.
// Aliases come from tsconfig.base.json so tests resolve `@edd/*` exactly as the type-checker does.
const root = fileURLToPath(new URL('.', import.meta.url));
const tsconfig = JSON.parse(readFileSync(`${root}/tsconfig.base.json`, 'utf8')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
const alias = Object.entries(tsconfig.compilerOptions.paths)
  .sort(([a], [b]) => b.length - a.length)
  .map(([find, [target]]) => ({ find, replacement: `${root}/${target}` }));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', '**/dist/**', 'apps/e2e/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Off by default (a quick `vitest run` stays quick); each project's `nx test` turns it on for its own
    // sources (`--coverage.include={projectRoot}/**`, see nx.json) and `npm test` reads the json summaries.
    coverage: {
      provider: 'v8',
      reporter: ['json-summary'],
      // Test code is not what is measured: helpers, harnesses, benchmarks and test-only entry points.
      exclude: ['**/test/**', '**/tests/**', '**/testing.ts', '**/bench/**', '**/*.d.ts', '**/*.config.ts'],
    },
  },
});
