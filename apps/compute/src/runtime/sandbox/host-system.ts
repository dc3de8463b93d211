import { lstat, readlink } from 'node:fs/promises';
import type { HostSystemEntry } from './bwrap-command';

const SYSTEM_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** The host's system directories as they are: merged-/usr symlinks stay symlinks, real directories are bound. */
export async function probeHostSystem(): Promise<HostSystemEntry[]> {
  const entries: HostSystemEntry[] = [];
  for (const path of SYSTEM_PATHS) {
    const info = await lstat(path).catch(() => undefined);
    if (!info) continue;
    if (info.isSymbolicLink()) entries.push({ path, symlinkTo: await readlink(path) });
    else if (info.isDirectory()) entries.push({ path });
  }
  return entries;
}
