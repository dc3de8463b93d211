import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './run-command';

/**
 * A bridge and subnet of a test's own (10.214.<n>.0/24, bridge eddt<n>), so a dev instance on eddc0 and
 * 10.213.0.0/16 is never touched, and a temporary data directory. `cleanup` removes the bridge and the directory.
 */
export async function sandboxTestNetwork(): Promise<{
  dataDir: string;
  bridge: string;
  subnet: string;
  cleanup(): Promise<void>;
}> {
  let third = 0;
  let bridge = '';
  // Test files run in parallel: pick a bridge no other run holds.
  for (let attempt = 0; attempt < 20; attempt++) {
    third = Math.floor(Math.random() * 250) + 1;
    bridge = `eddt${third}`;
    const taken = await runCommand('ip', ['link', 'show', 'dev', bridge]).then(
      () => true,
      () => false,
    );
    if (!taken) break;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'edd-sandbox-'));
  return {
    dataDir,
    bridge,
    subnet: `10.214.${third}.0/24`,
    async cleanup() {
      await runCommand('ip', ['link', 'del', bridge]).catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
