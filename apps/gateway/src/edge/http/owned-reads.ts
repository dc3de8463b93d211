import type { OnReadOpts, Socket } from 'node:net';
import { batchIo } from './batched-io';
import { inReadRegion, lendRead, READ_REGION_SIZE, readRegionBuffer } from './head-scanner';
import { streamInternals, tcpHandleOf, type TcpHandle } from './node-internals';

/**
 * Small reads land in one region the whole process shares (the head scanner's input, head-scanner.ts), so an idle
 * connection holds no read buffer at all. A read that fills it means more is coming: the next reads go into buffers
 * of the socket's own, LARGE_READ_SIZE (Node's own read size), until a small read sends it back to the region.
 */
export const READ_SIZE = READ_REGION_SIZE;
export const LARGE_READ_SIZE = 64 * 1024;
/** Small reads into a large buffer are copied out (from Node's shared pool, cheap) rather than keeping 64 KiB. */
export const COPY_LIMIT = 4 * 1024;

/**
 * `net.connect`'s `onread` option for a socket whose reads are handed to `deliver`.
 *
 * Why not 'data': every read then goes through Readable's machinery (push, addChunk, emit, the read(0) that
 * follows) and a fresh 64 KiB allocation in C++ that is shrunk to the bytes read. Here the kernel reads into a
 * buffer the gateway keeps, and the callback runs straight from the stream's read handler: callgrind counts
 * ~5,000 fewer instructions per relayed response (tools/bench/gateway-instructions.ts, docs/gateway-performance.md).
 *
 * A read smaller than the read region is **lent**: the chunk is the region's bytes, good until `deliver` returns
 * (JavaScript handles one read at a time, and the next read of any socket overwrites them). A receiver that keeps
 * any of it past the call (queues it, writes it to a socket, emits it) keeps `kept(chunk)` instead. A large read
 * (one that filled its buffer) is handed over as it is and the next read gets a new buffer, so it may be kept.
 * Such a socket never emits 'data'.
 */
export interface OwnedReads extends OnReadOpts {
  /** Handles a read of `bytes`; returns the buffer for the next read when it is not the one just read into. */
  next(bytes: number): Buffer | undefined;
  /** Whether the next read goes into a large buffer of the socket's own: a body is streaming in. */
  large(): boolean;
}

export function ownedChunkReads(deliver: (chunk: Buffer) => void): OwnedReads {
  const region = readRegionBuffer();
  let buffer = region;
  const next = (bytes: number): Buffer | undefined => {
    const read = buffer;
    let chunk: Buffer;
    if (read === region && bytes !== read.length) {
      // The usual read: lent from the region, which stays the buffer.
      deliver(lendRead(bytes));
      return undefined;
    }
    if (bytes === read.length) {
      // Filled: handed over (the region's bytes as a copy), and more is coming.
      chunk = read === region ? copyOf(read) : read;
      buffer = Buffer.allocUnsafeSlow(LARGE_READ_SIZE);
    } else if (bytes <= COPY_LIMIT) {
      // Small reads again after a large body: the large buffer is given back.
      chunk = copyOf(read.subarray(0, bytes));
      buffer = region;
    } else {
      chunk = read.subarray(0, bytes);
      buffer = Buffer.allocUnsafeSlow(LARGE_READ_SIZE);
    }
    deliver(chunk);
    return buffer;
  };
  return {
    // Called once when the socket is set up and again after every read: the buffer for the next read.
    buffer: () => buffer,
    callback: (bytes: number): boolean => {
      next(bytes);
      return true;
    },
    next,
    large: () => buffer !== region,
  };
}

/**
 * Makes `socket` (plain TCP, set up with `reads`) hand its reads to `reads.next` straight from its handle, instead of
 * through Node's read handler, which per read refreshes the socket's timer, checks it is not destroyed, calls the
 * callback and the buffer generator through the socket's symbol fields, and returns the next buffer, which the
 * handle then looks up again in C++ (~450 instructions a read). End of stream, errors and empty reads still go to
 * Node's handler, so 'end', 'error' and 'close' are Node's. A socket read this way does not refresh a
 * `socket.setTimeout` on reads (the edge's deadlines are its own, on its clock). Where the batched-I/O addon is
 * there (batched-io.ts) the addon reads it instead, with every other ready socket, and hands the bytes to
 * `reads.next` the same way (the handle reads only while a large body streams in), and queues its writes. Returns
 * false, changing nothing, where the handle or the internals are missing (node-internals.ts).
 */
export function readThroughHandle(socket: Socket, reads: OwnedReads): boolean {
  const internals = streamInternals;
  if (internals === undefined) return false;
  const handle = tcpHandleOf(socket, internals);
  if (handle === null) return false;
  const nodeOnread = handle.onread;
  if (typeof nodeOnread !== 'function') return false;
  const { state, readBytesOrError } = internals;
  const next = reads.next;
  handle.onread = function onHandleRead(this: TcpHandle, arrayBuffer: ArrayBuffer | undefined): unknown {
    const bytes = state[readBytesOrError] as number;
    return bytes > 0 ? next(bytes) : nodeOnread.call(this, arrayBuffer);
  };
  batchIo(socket, handle, reads, nodeOnread);
  return true;
}

/** `chunk` as something the caller may keep: a copy when it is a lent read or part of one, else itself. */
export function kept(chunk: Buffer): Buffer {
  return inReadRegion(chunk) ? copyOf(chunk) : chunk;
}

/** Passes a read on as 'data' (a socket with `onread` emits none itself), for a holder such as pipe() that keeps it. */
export function emitAsData(socket: Socket, chunk: Buffer): void {
  socket.emit('data', kept(chunk));
}

function copyOf(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafe(bytes.length);
  copy.set(bytes);
  return copy;
}
