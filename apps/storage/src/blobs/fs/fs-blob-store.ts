import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, assertBlobPrefix, assertDeletablePrefix } from '../blob-key';
import { resolveBlobRange } from '../blob-range';
import { BlobNotFoundError } from '../blob-store';
import type { BlobListEntry, BlobRange, BlobSource, BlobStat, BlobStore, BlobWriteOptions, BlobWriteResult } from '../blob-store';
import { MeasureStream } from '../measure-stream';
import { fileWriter } from './file-writer';
import { isMissing } from './fs-errors';
import { pruneEmptyFolders, walkFiles } from './fs-tree';

export interface FsBlobStoreOptions {
  /** STORAGE_DIR: objects live in `<root>/objects/<key>`, writes in progress in `<root>/incomplete/`. */
  root: string;
  /** Clock of sweepIncomplete (tests move it forward). */
  now?: () => number;
}

/**
 * The laptop engine: a write streams into a temporary file on the same filesystem, is fsynced, then renamed over
 * the object (rename is atomic, and a reader that already opened the old file keeps reading the old inode).
 */
export class FsBlobStore implements BlobStore {
  readonly engine = 'fs';
  private readonly objectsDir: string;
  private readonly incompleteDir: string;
  private readonly now: () => number;
  /** Names in `incomplete/` that this store is still using: sweepIncomplete leaves them alone. */
  private readonly inUse = new Set<string>();

  constructor(options: FsBlobStoreOptions) {
    const root = resolve(options.root);
    this.objectsDir = join(root, 'objects');
    this.incompleteDir = join(root, 'incomplete');
    this.now = options.now ?? Date.now;
  }

  async write(key: string, source: BlobSource, options: BlobWriteOptions = {}): Promise<BlobWriteResult> {
    const target = this.pathOf(key);
    options.signal?.throwIfAborted();
    await mkdir(this.incompleteDir, { recursive: true });
    const name = randomUUID();
    const temporary = join(this.incompleteDir, name);
    this.inUse.add(name);
    let file: FileHandle | undefined;
    try {
      file = await open(temporary, 'wx', 0o600);
      const measure = new MeasureStream(options.size);
      const writer = fileWriter(file);
      await (options.signal ? pipeline(source, measure, writer, { signal: options.signal }) : pipeline(source, measure, writer));
      await file.sync();
      await file.close();
      file = undefined;
      options.signal?.throwIfAborted(); // the last moment an abort can still cancel: the rename commits
      await this.commit(temporary, target);
      return { size: measure.bytesReceived, sha256: measure.digest() };
    } catch (error) {
      await file?.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    } finally {
      this.inUse.delete(name);
    }
  }

  async read(key: string, range?: BlobRange): Promise<Readable> {
    const path = this.pathOf(key);
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') throw new BlobNotFoundError(key);
      throw error;
    }
    try {
      const info = await file.stat();
      if (!info.isFile()) throw new BlobNotFoundError(key);
      // The open handle pins this version: an overwrite renames a new inode into place and this one reads on.
      return file.createReadStream(range ? resolveBlobRange(key, info.size, range) : {});
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size, modifiedAt: info.mtime } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isMissing(error) || code === 'EISDIR' || code === 'EPERM') return; // nothing there, or a folder: no object
      throw error;
    }
    await pruneEmptyFolders(dirname(path), this.objectsDir);
  }

  async *list(prefix: string): AsyncIterable<BlobListEntry> {
    assertBlobPrefix(prefix);
    yield* walkFiles(join(this.objectsDir, ...prefix.split('/').filter(Boolean)), prefix);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertDeletablePrefix(prefix);
    const folder = join(this.objectsDir, ...prefix.split('/').filter(Boolean));
    // Move the folder out of sight first, so it disappears at once; a crash mid-removal leaves it to the sweep.
    await mkdir(this.incompleteDir, { recursive: true });
    const name = `${randomUUID()}.deleting`;
    const doomed = join(this.incompleteDir, name);
    this.inUse.add(name);
    try {
      try {
        await rename(folder, doomed);
      } catch (error) {
        if (isMissing(error)) return 0;
        throw error;
      }
      let count = 0;
      for await (const _entry of walkFiles(doomed, '')) count++;
      await rm(doomed, { recursive: true, force: true });
      await pruneEmptyFolders(dirname(folder), this.objectsDir);
      return count;
    } finally {
      this.inUse.delete(name);
    }
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.incompleteDir);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      if (this.inUse.has(name)) continue;
      const path = join(this.incompleteDir, name);
      const info = await lstat(path).catch(() => undefined);
      // mtime is the last write: a slow upload still receiving bytes elsewhere stays young.
      if (!info || this.now() - info.mtimeMs <= olderThanMs) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async probe(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.incompleteDir, { recursive: true });
    await access(this.objectsDir, constants.W_OK);
    await access(this.incompleteDir, constants.W_OK);
  }

  /** Holds no handle between calls: nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The object's path; the key rules already keep it inside `objects/`, the prefix check makes sure. */
  private pathOf(key: string): string {
    assertBlobKey(key);
    const path = join(this.objectsDir, ...key.split('/'));
    if (!path.startsWith(this.objectsDir + sep)) throw new Error(`blob key escaped the store: ${key}`);
    return path;
  }

  /** Renames the finished temporary file over the object and makes the rename durable (fsync of the folder). */
  private async commit(temporary: string, target: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(target), { recursive: true });
      try {
        await rename(temporary, target);
        break;
      } catch (error) {
        // A delete pruning the (empty) folder between mkdir and rename: make it again.
        const folderVanished = isMissing(error) && (await stat(temporary).catch(() => undefined)) !== undefined;
        if (!folderVanished || attempt === 3) throw error;
      }
    }
    const folder = await open(dirname(target), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
