import type { OnReadOpts } from 'node:net';

/**
 * Each socket keeps one read buffer of its own (Node's 'data' path keeps none between reads), so an idle connection
 * holds READ_SIZE: 4 KiB, room for a usual request or small response. A read that fills it means more is coming:
 * the next reads get LARGE_READ_SIZE, Node's own read size, until a small read shrinks it back.
 */
export const READ_SIZE = 4 * 1024;
export const LARGE_READ_SIZE = 64 * 1024;
/** Reads up to this size that leave room in the buffer are copied out (from Node's shared pool, cheap). */
export const COPY_LIMIT = 4 * 1024;

/**
 * `net.connect`'s `onread` option for a socket whose reads are handed to `deliver` as chunks the receiver owns
 * (it may keep them, queue them for a write, or slice them, as with 'data' events).
 *
 * Why not 'data': every read then goes through Readable's machinery (push, addChunk, emit, the read(0) that
 * follows) and a fresh 64 KiB allocation in C++ that is shrunk to the bytes read. Here the kernel reads into a
 * buffer the socket keeps, and the callback runs straight from the stream's read handler: callgrind counts
 * ~5,000 fewer instructions per relayed response (tools/bench/gateway-instructions.ts, apps/gateway/README.md).
 *
 * A small read is copied out and the buffer is reused; a large one (or one that filled the buffer) is handed over
 * as it is and the next read gets a new buffer, so no chunk is ever overwritten. Such a socket never emits 'data'.
 */
export function ownedChunkReads(deliver: (chunk: Buffer) => void): OnReadOpts {
  let buffer = Buffer.allocUnsafeSlow(READ_SIZE);
  // Its memory, looked up once per buffer: Buffer#copy of a part would ask the buffer for it on every read
  // (Node 20's _copyActual: `source.buffer`, a runtime call of ~300 instructions).
  let memory = buffer.buffer;
  const replaceBuffer = (size: number): void => {
    buffer = Buffer.allocUnsafeSlow(size);
    memory = buffer.buffer;
  };
  return {
    // Called once when the socket is set up and again after every read: the buffer for the next read.
    buffer: () => buffer,
    callback: (bytes: number): boolean => {
      const read = buffer;
      let chunk: Buffer;
      if (bytes < read.length && bytes <= COPY_LIMIT) {
        chunk = Buffer.allocUnsafe(bytes);
        // allocUnsafeSlow's buffer starts its own memory.
        chunk.set(new Uint8Array(memory, 0, bytes));
        // Small reads again after a large body: give the large buffer back.
        if (read.length === LARGE_READ_SIZE) replaceBuffer(READ_SIZE);
      } else {
        chunk = bytes === read.length ? read : read.subarray(0, bytes);
        replaceBuffer(LARGE_READ_SIZE);
      }
      deliver(chunk);
      return true;
    },
  };
}
