import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SupervisedProcess } from './process-supervision';
import type { LimitPlan } from './resource-limits';

/** What survives a compute restart for one sandbox, in `<dataDir>/<id>/state.json`. */
export interface StoredSandbox {
  id: string;
  /** Kept for the sandbox's whole life, so it answers at the same address after every start. */
  address: string;
  desired: 'running' | 'stopped';
  process?: SupervisedProcess;
  /** sshd accepted a connection since the last start. */
  ready: boolean;
  restarts: number;
  limits: LimitPlan;
  memoryMb: number;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a state file. */
export async function writeFileAtomic(path: string, content: string, mode = 0o600): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}

export async function saveSandbox(dataDir: string, sandbox: StoredSandbox): Promise<void> {
  const dir = join(dataDir, sandbox.id);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(join(dir, 'state.json'), `${JSON.stringify(sandbox, null, 2)}\n`);
}

/** Every sandbox with a readable state file; a directory without one is not a sandbox (or was half removed). */
export async function loadSandboxes(dataDir: string): Promise<StoredSandbox[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  const sandboxes: StoredSandbox[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const text = await readFile(join(dataDir, entry.name, 'state.json'), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const parsed = JSON.parse(text) as StoredSandbox;
      if (parsed.id === entry.name) sandboxes.push(parsed);
    } catch {
      // Written atomically, so unreadable means not ours: leave it for a person rather than fail every call.
    }
  }
  return sandboxes;
}
