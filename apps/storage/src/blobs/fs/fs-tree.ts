import { opendir, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobListEntry } from '../blob-store';
import { isMissing } from './fs-errors';

/** Every regular file under `dir`, depth first, keyed by its `/`-joined path below `dir` after `keyPrefix`. */
export async function* walkFiles(dir: string, keyPrefix: string): AsyncGenerator<BlobListEntry> {
  let entries;
  try {
    entries = await opendir(dir);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for await (const entry of entries) {
    const path = join(dir, entry.name);
    const key = keyPrefix + entry.name;
    if (entry.isDirectory()) {
      yield* walkFiles(path, `${key}/`);
    } else if (entry.isFile()) {
      const info = await stat(path).catch((error: unknown) => {
        if (isMissing(error)) return undefined; // deleted while listing
        throw error;
      });
      if (info) yield { key, size: info.size, modifiedAt: info.mtime };
    }
  }
}

/** Removes the now-empty folders from `dir` up to (not including) `stop`; stops at the first one still in use. */
export async function pruneEmptyFolders(dir: string, stop: string): Promise<void> {
  for (let current = dir; current.length > stop.length && current.startsWith(stop); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty, already gone, or busy: a writer may be about to use it
    }
  }
}
