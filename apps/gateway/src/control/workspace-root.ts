import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding nx.json, searched upwards from `start`; relative config paths resolve against it. */
export function findWorkspaceRoot(start: string = process.cwd()): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
