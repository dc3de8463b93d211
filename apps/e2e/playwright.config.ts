import { defineConfig, devices } from '@playwright/test';
import { adminStateFile, chromiumArgs, chromiumPath, dashboardUrl, workspaceRoot } from './src/support/e2e-env';

// Debian's Chromium, no browser download. One worker: the tests share one platform (and one 2-core machine).
export default defineConfig({
  testDir: './src',
  outputDir: `${workspaceRoot}test-results/e2e`,
  globalSetup: './src/global-setup.ts',
  globalTeardown: './src/global-teardown.ts',
  timeout: 60_000,
  // CI runs everything in under 20 minutes; a hung suite must fail instead of eating that budget.
  globalTimeout: 10 * 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { outputFolder: `${workspaceRoot}playwright-report`, open: 'never' }]],
  use: {
    baseURL: dashboardUrl(),
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/, teardown: 'teardown', use: { ...devices['Desktop Chrome'], channel: undefined } },
    { name: 'teardown', testMatch: /.*\.teardown\.ts/ },
    {
      name: 'chromium',
      testMatch: /.*\.spec\.ts/,
      dependencies: ['setup'],
      use: { ...devices['Desktop Chrome'], channel: undefined, storageState: adminStateFile },
    },
  ],
});
