import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIB, randomBuffer, streamOf } from '../test/byte-sources';
import { fileWriter, WRITE_BATCH_BYTES } from './file-writer';

/** The handle's writes, counted: each one is a trip through libuv's thread pool. */
function counting(file: FileHandle): { handle: Pick<FileHandle, 'write'>; writes: () => number } {
  let writes = 0;
  return {
    handle: {
      write: ((...args: Parameters<FileHandle['write']>) => {
        writes += 1;
        return file.write(...args);
      }) as FileHandle['write'],
    },
    writes: () => writes,
  };
}

describe('fileWriter', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-writer-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function writeThrough(name: string, source: Readable) {
    const path = join(dir, name);
    const file = await open(path, 'wx');
    const counted = counting(file);
    try {
      await pipeline(source, fileWriter(counted.handle));
    } finally {
      await file.close();
    }
    return { bytes: await readFile(path), writes: counted.writes() };
  }

  it('writes 64 KiB socket chunks as one write per MiB, byte for byte', async () => {
    const bytes = randomBuffer(16 * MIB + 12_345);
    const written = await writeThrough('socket-sized.bin', streamOf(bytes));
    expect(written.bytes.equals(bytes)).toBe(true);
    expect(written.writes).toBe(Math.ceil(bytes.length / WRITE_BATCH_BYTES));
  });

  it('keeps the bytes of chunks of any size that straddle batches', async () => {
    const bytes = randomBuffer(5 * MIB + 3);
    const sizes = [1, 7, WRITE_BATCH_BYTES - 9, 2 * WRITE_BATCH_BYTES + 5, 65_536, 3];
    const chunks: Buffer[] = [];
    for (let offset = 0, i = 0; offset < bytes.length; i++) {
      const size = sizes[i % sizes.length] ?? 1;
      chunks.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    const written = await writeThrough('odd-sizes.bin', Readable.from(chunks, { objectMode: false }));
    expect(written.bytes.equals(bytes)).toBe(true);
  });

  it('writes an empty body as an empty file, and never leaks an earlier upload’s bytes into a later one', async () => {
    expect((await writeThrough('empty.bin', Readable.from([], { objectMode: false }))).bytes.length).toBe(0);
    // The batch buffers are reused between uploads: a short file after a long one holds only its own bytes.
    await writeThrough('long.bin', streamOf(Buffer.alloc(3 * MIB + 100, 0xaa)));
    const short = await writeThrough('short.bin', streamOf(Buffer.from('ten bytes!')));
    expect(short.bytes.toString()).toBe('ten bytes!');
  });

  it('fails the stream when the file cannot be written', async () => {
    const file = await open(join(dir, 'closed.bin'), 'wx');
    await file.close(); // every write now fails (EBADF)
    await expect(pipeline(streamOf(randomBuffer(3 * MIB)), fileWriter(file))).rejects.toThrow();
  });
});
