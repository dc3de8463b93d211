import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { ERRORS, Upload } from '@tus/utils';

/** The metadata key the server writes (whatever the client sent under it): who may continue the upload. */
export const OWNER_KEY = 'owner_id';
/** The metadata key the server writes once an upload has become a file (whatever the client sent under it). */
export const FINISHED_KEY = 'finished';

/** True once the upload has become a file: its bytes are gone and only its record answers. */
export function isFinished(upload: Pick<Upload, 'metadata'>): boolean {
  return upload.metadata?.[FINISHED_KEY] === 'true';
}

/**
 * @tus/file-store (a part `<dir>/<id>` and its record `<dir>/<id>.json`, both on disk, so an upload survives a
 * killed process), plus a tombstone: when an upload has become a file its bytes go but its record stays, marked
 * finished, until it expires. A client whose last PATCH's answer was lost asks again (HEAD, or PATCH at the end)
 * and hears "complete" (offset = length) instead of 404, and nothing is stored twice.
 */
export class TusPartStore extends FileStore {
  override async getUpload(id: string): Promise<Upload> {
    const record = await this.configstore.get(id);
    if (record && isFinished(record)) {
      return new Upload({
        id,
        size: record.size,
        offset: record.size ?? 0,
        metadata: record.metadata,
        creation_date: record.creation_date,
      });
    }
    return super.getUpload(id);
  }

  /** A finished upload takes no more bytes: an empty PATCH at its end is answered with its offset. */
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const record = await this.configstore.get(id);
    if (record && isFinished(record)) {
      for await (const _chunk of readable) throw ERRORS.INVALID_OFFSET;
      return offset;
    }
    return super.write(readable, id, offset);
  }

  /** Marks the upload finished (the record is written first: a crash after it leaves no part the client could resume). */
  async markFinished(id: string): Promise<void> {
    const record = await this.configstore.get(id);
    if (!record) throw ERRORS.FILE_NOT_FOUND;
    await this.configstore.set(id, new Upload({ ...record, metadata: { ...record.metadata, [FINISHED_KEY]: 'true' } }));
    await rm(this.partPath(id), { force: true });
  }

  /** Removes the part and its record; a tombstone has no part, and that is no error. */
  override async remove(id: string): Promise<void> {
    const record = await this.configstore.get(id);
    if (!record) throw ERRORS.FILE_NOT_FOUND;
    await rm(this.partPath(id), { force: true });
    await this.configstore.delete(id);
  }

  /**
   * Removes parts that have no record and were last written more than `olderThanMs` ago: a process killed between
   * creating a part and writing its record leaves one that tus's own expiry sweep (which walks records) never sees.
   * Returns how many went.
   */
  async sweepOrphanParts(olderThanMs: number): Promise<number> {
    const names = await readdir(this.directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const records = new Set(names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)));
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      if (name.endsWith('.json') || records.has(name)) continue;
      const path = this.partPath(name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || info.mtimeMs > cutoff) continue;
      await rm(path, { force: true });
      removed += 1;
    }
    return removed;
  }

  /** Ids are tus's own hex (checked before they reach the store): a plain join stays in the directory. */
  private partPath(id: string): string {
    return join(this.directory, id);
  }
}
