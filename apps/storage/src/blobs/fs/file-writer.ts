import { Writable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';

async function writeFully(file: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  // A write may take fewer bytes than offered; loop until the chunk is on its way to disk.
  while (offset < chunk.length) offset += (await file.write(chunk, offset)).bytesWritten;
}

/** A Writable onto an open file that leaves the handle open, so the caller can fsync before closing it. */
export function fileWriter(file: FileHandle): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeFully(file, chunk).then(() => callback(), callback);
    },
  });
}
