import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pidFile } from './global-setup';
import { stopGroup } from './support/process-group';

/** Stops the platform global setup started (nothing when it reused a running one). */
export default async function globalTeardown(): Promise<void> {
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
  if (!pid) return;
  console.log(`[e2e] stopping the platform (process group ${pid})`);
  await stopGroup(pid);
  writeFileSync(pidFile, '');
}
