import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe } from 'vitest';
import { describeContainerRuntime } from '../runtime.contract';
import { createSandboxRuntime } from './index';
import { networkNames } from './network';
import { runCommand } from './run-command';
import { sandboxAvailability } from './availability';
import type { StoredSandbox } from './state-store';
import { sandboxTestNetwork } from './testing';

const availability = await sandboxAvailability();
if (!availability.available) {
  console.warn(`sandbox contract skipped: ${availability.reason} (${availability.remedy})`);
}

const title = availability.available ? 'sandbox runtime' : `sandbox runtime (skipped: ${availability.reason})`;

describe.skipIf(!availability.available)(title, () => {
  describeContainerRuntime('sandbox', async () => {
    const { dataDir, bridge, subnet, cleanup } = await sandboxTestNetwork();
    const runtime = createSandboxRuntime({ dataDir, subnet, bridge });
    const stateOf = async (id: string) => JSON.parse(await readFile(join(dataDir, id, 'state.json'), 'utf8')) as StoredSandbox;
    return {
      runtime,
      reportsMemory: existsSync('/sys/fs/cgroup/cgroup.controllers') || existsSync('/sys/fs/cgroup/memory'),
      async killMainProcess(id) {
        const { process } = await stateOf(id);
        globalThis.process.kill(process!.pid, 'SIGKILL');
      },
      async leftovers(id) {
        const { netns, veth } = networkNames(id);
        const left: string[] = [];
        if (existsSync(`/run/netns/${netns}`)) left.push(`netns ${netns}`);
        if (
          await runCommand('ip', ['link', 'show', 'dev', veth]).then(
            () => true,
            () => false,
          )
        )
          left.push(`veth ${veth}`);
        if (existsSync(join(dataDir, id))) left.push(`directory ${join(dataDir, id)}`);
        return left;
      },
      async cleanup() {
        await runtime.close();
        await cleanup();
      },
    };
  });
});
