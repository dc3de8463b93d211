import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export const MIB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** `size` random bytes. */
export function randomBuffer(size: number): Buffer {
  return randomBytes(size);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A buffer as a stream of 64 KiB chunks, as a socket would deliver it. */
export function streamOf(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += CHUNK) chunks.push(bytes.subarray(offset, offset + CHUNK));
  return Readable.from(chunks, { objectMode: false });
}

export async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Hashes a stream without keeping it, calling `onChunk` for each chunk (to sample memory). */
export async function hashStream(stream: AsyncIterable<Buffer>, onChunk: () => void): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
    onChunk();
  }
  return { size, sha256: hash.digest('hex') };
}

/**
 * `size` bytes made on the fly, 1 MiB at a time, never held whole: one random block with the chunk's index
 * stamped into it, so no two chunks are equal. `expectedSha256()` is ready once the stream has ended.
 */
export function generatedStream(size: number, onChunk: () => void) {
  const block = randomBytes(MIB);
  const hash = createHash('sha256');
  let index = 0;
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const chunk = Buffer.from(block.subarray(0, Math.min(MIB, size - produced)));
      chunk.writeUInt32BE(index++, 0);
      produced += chunk.length;
      hash.update(chunk);
      onChunk();
      this.push(chunk);
    },
  });
  return { stream, expectedSha256: () => hash.digest('hex') };
}

/**
 * A source the test feeds by hand. `feed` resolves once the consumer has taken every byte given so far and asks
 * for more (so a write is provably in progress); `end` and `fail` finish it.
 */
export function handFedSource() {
  const queue: Buffer[] = [];
  let waiting: (() => void) | undefined;
  let asked = false;
  const stream = new Readable({
    highWaterMark: 1, // _read runs only when the consumer has emptied the buffer
    read() {
      const next = queue.shift();
      if (next) {
        this.push(next);
        return;
      }
      asked = true;
      waiting?.();
    },
  });
  return {
    stream,
    feed(bytes: Buffer): Promise<void> {
      for (let offset = 0; offset < bytes.length; offset += CHUNK) queue.push(bytes.subarray(offset, offset + CHUNK));
      if (asked) {
        asked = false;
        stream.push(queue.shift());
      }
      return new Promise((resolve) => {
        waiting = () => {
          if (queue.length === 0) resolve();
        };
      });
    },
    end(): void {
      stream.push(null);
    },
    fail(error: Error): void {
      stream.destroy(error);
    },
  };
}
