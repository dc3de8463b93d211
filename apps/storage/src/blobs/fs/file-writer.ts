import { Writable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';

/**
 * Bytes gathered before one write system call. Socket reads arrive in 64 KiB chunks, and each file write is a trip
 * through libuv's thread pool (a worker woken, then the event loop woken back): 16 of them per MiB, about 30 context
 * switches, cost an upload more CPU than the copy itself once the machine is busy (docs/storage-benchmark.md).
 */
export const WRITE_BATCH_BYTES = 1024 * 1024;
/** Batch buffers kept for the next uploads once theirs finished (at most this many MiB held while idle). */
const IDLE_BUFFERS = 8;

const idle: Buffer[] = [];

function takeBuffer(): Buffer {
  // Not zero-filled: every byte written out is first copied in.
  return idle.pop() ?? Buffer.allocUnsafeSlow(WRITE_BATCH_BYTES);
}

function releaseBuffer(buffer: Buffer | undefined): void {
  if (buffer && idle.length < IDLE_BUFFERS) idle.push(buffer);
}

async function writeFully(file: Pick<FileHandle, 'write'>, bytes: Buffer): Promise<void> {
  let offset = 0;
  // A write may take fewer bytes than offered; loop until the batch is on its way to disk.
  while (offset < bytes.length) offset += (await file.write(bytes, offset)).bytesWritten;
}

/**
 * A Writable onto an open file that leaves the handle open, so the caller can fsync before closing it.
 *
 * Chunks are copied into a 1 MiB batch and written one batch at a time, while the next batch fills in a second
 * buffer; a chunk waits only when both are busy. Copying (rather than holding on to the chunks) lets the read
 * buffers die young as before, and bounds what one upload holds to two batches. A failed write fails the stream,
 * so the caller removes the file.
 */
export function fileWriter(file: Pick<FileHandle, 'write'>): Writable {
  let filling: Buffer | undefined;
  let used = 0;
  let spare: Buffer | undefined;
  let writing: Promise<void> = Promise.resolve();
  // Once destroyed, nothing touches the buffers again: they may already serve another upload.
  let closed = false;

  /** Sends the filled part of `filling` to disk once the previous batch is written, and fills the other buffer meanwhile. */
  const writeBatch = async (): Promise<void> => {
    await writing; // the previous batch's buffer is `spare` again (or its error surfaces here)
    if (closed || !filling || used === 0) return;
    const batch = filling;
    const length = used;
    filling = spare;
    spare = undefined;
    used = 0;
    writing = writeFully(file, batch.subarray(0, length)).then(() => {
      spare = batch;
    });
    writing.catch(() => undefined); // awaited by the next batch or by the end; not unhandled meanwhile
  };

  const put = async (chunk: Buffer): Promise<void> => {
    let offset = 0;
    while (offset < chunk.length) {
      if (closed) throw new Error('write after the file writer was destroyed');
      filling ??= takeBuffer();
      const copied = chunk.copy(filling, used, offset);
      used += copied;
      offset += copied;
      if (used === WRITE_BATCH_BYTES) await writeBatch();
    }
  };

  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      put(chunk).then(() => callback(), callback);
    },
    final(callback) {
      writeBatch()
        .then(() => writing)
        .then(() => callback(), callback);
    },
    destroy(error, callback) {
      closed = true;
      // The buffers go back once no write uses them (a destroyed stream may still have a batch on its way to disk).
      void writing
        .catch(() => undefined)
        .then(() => {
          releaseBuffer(filling);
          releaseBuffer(spare);
          filling = spare = undefined;
        });
      callback(error);
    },
  });
}
