import { mkdirSync, writeFileSync } from 'node:fs';
import { platformReady, waitFor } from './support/platform-readiness';
import { dashboardUrl, scratchDir, useRunningPlatform, workspaceRoot } from './support/e2e-env';
import { startGroup, stopGroup } from './support/process-group';

export const pidFile = `${scratchDir}/platform.pid`;
const logFile = `${scratchDir}/platform.log`;
const startTimeoutMs = Number(process.env.E2E_START_TIMEOUT_MS || 240_000);

/**
 * Starts the platform exactly as a user does (`npm start`) in its own process group and waits until the gateway
 * routes to auth and serves the dashboard. With E2E_BASE_URL / E2E_NO_START=1 an already running platform is used;
 * one that is already up is reused and left running.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(scratchDir, { recursive: true });
  writeFileSync(pidFile, '');

  if (useRunningPlatform) {
    console.log(`[e2e] using the running platform at ${dashboardUrl()}`);
    if (!process.env.E2E_BASE_URL) process.env.E2E_RESOLVED_DASHBOARD_URL = await waitFor('platform', platformReady, 30_000);
    return;
  }
  const already = await platformReady();
  if (already) {
    console.log(`[e2e] a platform is already running at ${already}: reusing it (and leaving it running)`);
    process.env.E2E_RESOLVED_DASHBOARD_URL = already;
    return;
  }

  writeFileSync(logFile, `--- npm start at ${new Date().toISOString()}\n`);
  // Same command as users; only the per-IP login limit is raised: every browser and API login of the suite comes
  // from 127.0.0.1, and back-to-back runs would otherwise hit it (auth's own tests cover the limit).
  const env = { ...process.env, LOGIN_MAX_ATTEMPTS_PER_IP: process.env.LOGIN_MAX_ATTEMPTS_PER_IP ?? '1000' };
  const platform = startGroup('npm', ['start'], { cwd: workspaceRoot, logFile, env });
  writeFileSync(pidFile, String(platform.pid));
  console.log(`[e2e] started \`npm start\` (process group ${platform.pid}), log: ${logFile}`);
  try {
    const url = await waitFor('platform', platformReady, startTimeoutMs, platform.isAlive);
    process.env.E2E_RESOLVED_DASHBOARD_URL = url;
    console.log(`[e2e] platform ready: dashboard at ${url}`);
  } catch (error) {
    await stopGroup(platform.pid);
    writeFileSync(pidFile, '');
    throw new Error(`${(error as Error).message}; see ${logFile}`);
  }
}
