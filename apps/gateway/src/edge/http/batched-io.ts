import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { latin1Write } from './buffer-latin1';
import { streamInternals, writeError, type StreamInternals, type TcpHandle } from './node-internals';
import type { OwnedReads } from './owned-reads';

/**
 * Batched I/O: the edge's plain TCP sockets (clients after protocol detection, upstream connections) are read by a
 * small native addon (apps/gateway/native/batch-io.c) that, each time the event loop finds any of them readable,
 * reads every ready one into a shared buffer and enters JavaScript once for all those reads; the writes the edge
 * makes while it handles them are queued and made back to back by the addon when the batch is done.
 *
 * Why: on the VM this was measured on, the edge's socket I/O costs about two thirds of what it costs through Node's
 * handles per proxied request (docs/gateway-performance.md, "Batched I/O"): Node enters JavaScript once per read,
 * with its callback scope, context, handle scope and async hooks each time, and between every two system calls the
 * kernel's working set and JavaScript's evict each other; batched, the system calls run back to back and
 * JavaScript runs once for many of them.
 *
 * How a socket is handed over: its handle's readStart/readStop become watch/unwatch in the addon's epoll set, so
 * Node's pause() and resume() work unchanged; each read is copied into the socket's own next buffer (owned-reads.ts)
 * and handed to its `next`, as if the handle had read it there; end of stream and read errors go to Node's own read
 * handler, which emits 'end' or 'error' as after libuv's read. While a large body streams in (the socket reads into
 * 64 KiB buffers of its own) the handle reads it itself, straight into them, and the socket goes back to the batches
 * once its reads are small again; writes larger than 16 KiB (a body's chunks) are made at once, not copied. Bytes
 * read for a socket that a delivery earlier in the same batch paused are held and handed over, before anything
 * newer, once it resumes. Every method of the
 * handle that writes, shuts down or closes first makes the queued writes, so whatever goes through Node (a
 * `socket.write`, `end`, `destroy`) reaches the kernel after them, as it would have after a direct write. A queued
 * write the kernel does not take whole goes on with what is left (and so do the later ones to that socket, in
 * order) as a direct write libuv finishes (direct-writes.ts: 'drain' once it has), and no write to that socket is
 * queued until it has.
 *
 * Off (every socket read and written through Node's handles, as before) where the addon was not built (`npm ci`
 * builds it where a C compiler and Node's headers are installed: tools/native/build-addons.ts), cannot load, or
 * with GATEWAY_BATCHED_IO=false (configureBatchedIo, from the gateway's config).
 */
interface BatchIoAddon {
  start(
    data: ArrayBuffer,
    reads: Int32Array,
    onBatch: (count: number) => void,
    out: ArrayBuffer,
    writes: Int32Array,
    failures: Int32Array,
  ): void;
  /** 0 or -errno. */
  watch(fd: number, id: number): number;
  unwatch(fd: number): number;
  /** How many records it put in `failures`. */
  flush(count: number): number;
}

const kBatched = Symbol('batched');

/** What batching needs of a TCP handle beyond what the edge's other fast paths use (Node's own methods). */
interface ReadControl {
  readonly fd: number;
  /** The buffer the handle's next read goes into (Node's `onread` sockets). */
  useUserBuffer(buffer: Uint8Array): void;
  reading?: boolean;
  readStart(): number;
  readStop(): number;
  close(callback?: () => void): void;
}

type Handle = TcpHandle & ReadControl & { [kBatched]?: Batched };

interface Batched {
  readonly id: number;
  readonly socket: Socket;
  readonly handle: Handle;
  /** Known once it first reads or writes (an upstream connection has none until it connects). */
  fd: number;
  readonly reads: OwnedReads;
  readonly nodeOnread: TcpHandle['onread'];
  /** libuv's own readStart/readStop of the handle. */
  readonly libuvStart: () => number;
  readonly libuvStop: () => number;
  /** In the addon's epoll set. */
  watching: boolean;
  /** Node asked it to stop reading (pause, or not started yet). */
  paused: boolean;
  /** Read by the handle itself while a large body streams in (each read straight into the socket's own buffer). */
  viaLibuv: boolean;
  /** Read before a delivery in the same batch paused the socket: handed over first once it reads again. */
  held: Uint8Array | null;
  /** End of stream (0) or -errno read after `held`, for Node's handler once the held bytes are delivered. */
  heldStatus: number | null;
  /** Its end of stream or read error went to Node: nothing more is read or delivered. */
  ended: boolean;
}

export const ADDON_FILE = 'batch_io.node';
const DATA_SIZE = 1 << 20;
const READ_RECORDS = 256;
const OUT_SIZE = 1 << 20;
const WRITE_RECORDS = 1024;
/**
 * A write larger than this is not copied into the queue: the queue is flushed and it is written at once (a body's
 * chunks are large and few; heads and small bodies are what the batches are for).
 */
const MAX_QUEUED_WRITE = 16 * 1024;
/** libuv's end-of-stream code, what Node's read handler expects (the same on every platform). */
const UV_EOF = -4095;
const EAGAIN = 11;
/** The methods of a stream handle that write, shut down or close (StreamBase, HandleWrap, TCPWrap). */
const WRITING_METHODS = [
  'writev',
  'writeBuffer',
  'writeLatin1String',
  'writeUtf8String',
  'writeAsciiString',
  'writeUcs2String',
  'shutdown',
  'reset',
] as const;

let addon: BatchIoAddon | undefined;
/** Why batching is off, for the start log; undefined while it is on or not yet tried. */
let offReason: string | undefined;
// The memory shared with the addon (reads land in `dataBytes`, queued writes wait in `outBytes`), made when it
// starts: a process that does not batch (no addon, turned off, TLS only) does not hold its 2 MiB.
let dataBytes = new Uint8Array(0);
let reads = new Int32Array(0);
let outBytes = Buffer.alloc(0);
let writes = new Int32Array(0);
let failures = new Int32Array(0);
/** The socket of each queued write, by its index. */
const writers: Array<Batched | undefined> = new Array<Batched | undefined>(WRITE_RECORDS).fill(undefined);
let queued = 0;
let outUsed = 0;
/** True while a batch is handled: writes are queued only then (the batch's end flushes them). */
let batching = false;
const watched = new Map<number, Batched>();
let nextId = 0;

/** GATEWAY_BATCHED_IO and GATEWAY_BATCH_IO_ADDON as the edge was started with (on, found by itself, until told). */
let wanted = true;
let addonPath: string | undefined;

/** Before the edge's first socket: whether to batch, and where the addon is when not in the usual places. */
export function configureBatchedIo(options: { enabled: boolean; addon?: string }): void {
  wanted = options.enabled;
  addonPath = options.addon;
}

/** Where the addon may be: as configured, beside this module (a bundle), the repository's native/build. */
function candidates(): string[] {
  const found: string[] = [];
  if (addonPath) found.push(addonPath);
  let dir = dirname(fileURLToPath(import.meta.url));
  found.push(join(dir, ADDON_FILE));
  for (let i = 0; i < 8; i++) {
    found.push(join(dir, 'apps', 'gateway', 'native', 'build', ADDON_FILE));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return found;
}

/** Loads and starts the addon once; false (the reason in batchedIoState) where batching is off. */
function ready(): boolean {
  if (!wanted) return false;
  if (addon !== undefined) return true;
  if (offReason !== undefined) return false;
  if (streamInternals === undefined) {
    offReason = "off (this Node's stream internals were not found: node-internals.ts)";
    return false;
  }
  const file = candidates().find((path) => existsSync(path));
  if (file === undefined) {
    offReason = `off (${ADDON_FILE} not built: npm ci builds it where cc and Node's headers are installed)`;
    return false;
  }
  try {
    const loaded = createRequire(import.meta.url)(file) as BatchIoAddon;
    dataBytes = new Uint8Array(DATA_SIZE);
    reads = new Int32Array(3 * READ_RECORDS);
    outBytes = Buffer.from(new ArrayBuffer(OUT_SIZE));
    writes = new Int32Array(3 * WRITE_RECORDS);
    failures = new Int32Array(2 * WRITE_RECORDS);
    loaded.start(dataBytes.buffer, reads, onBatch, outBytes.buffer, writes, failures);
    addon = loaded;
    return true;
  } catch (err) {
    offReason = `off (${file}: ${(err as Error).message})`;
    return false;
  }
}

/** "on" or "off (why)", loading the addon if nothing has yet: for the edge's start log and the benchmark report. */
export function batchedIoState(): string {
  if (!wanted) return 'off (GATEWAY_BATCHED_IO=false)';
  return ready() ? 'on' : (offReason as string);
}

/**
 * Hands the reads and writes of `socket` (plain TCP; `handle` its handle) to the addon (see above); false, changing
 * nothing, where batching is off. `nodeOnread` is Node's read handler of the handle, for end of stream and errors.
 */
export function batchIo(socket: Socket, handle: TcpHandle, socketReads: OwnedReads, nodeOnread: TcpHandle['onread']): boolean {
  const control = handle as Partial<ReadControl>;
  const methods = [control.readStart, control.readStop, control.close, control.useUserBuffer];
  if (methods.some((method) => typeof method !== 'function')) {
    return false;
  }
  if (typeof socketReads.buffer !== 'function' || !ready()) return false;
  const full = handle as Handle;
  const { readStart, readStop, close } = full;
  const entry: Batched = {
    id: nextId,
    socket,
    handle: full,
    fd: -1,
    reads: socketReads,
    nodeOnread,
    libuvStart: () => readStart.call(full),
    libuvStop: () => readStop.call(full),
    watching: false,
    paused: true,
    viaLibuv: false,
    held: null,
    heldStatus: null,
    ended: false,
  };
  // A socket libuv is reading already (an accepted one, after protocol detection) moves over now.
  if (full.reading === true) {
    readStop.call(full);
    if (startWatching(entry) !== 0) {
      readStart.call(full);
      return false;
    }
    entry.paused = false;
  }
  // Ids wrap after 2^31 sockets; one still in use is skipped.
  do nextId = (nextId + 1) & 0x7fffffff;
  while (watched.has(nextId));
  watched.set(entry.id, entry);
  full[kBatched] = entry;
  full.readStart = () => resumeReads(entry);
  full.readStop = () => pauseReads(entry);
  // After each read the handle makes itself (a large body): back to the batches once the body's reads are small.
  const handleOnread = full.onread;
  const { state, readBytesOrError } = streamInternals as StreamInternals;
  full.onread = function onLibuvRead(this: TcpHandle, arrayBuffer: ArrayBuffer | undefined): unknown {
    const bytes = state[readBytesOrError] as number;
    const nextBuffer = handleOnread.call(this, arrayBuffer);
    if (bytes > 0 && entry.viaLibuv && !entry.paused && !entry.reads.large()) {
      entry.libuvStop();
      entry.viaLibuv = false;
      startWatching(entry);
    }
    return nextBuffer;
  };
  full.close = function closeBatched(this: Handle, callback?: () => void): void {
    if (queued !== 0) flushWrites();
    stopWatching(entry);
    watched.delete(entry.id);
    close.call(this, callback);
  };
  const byName = full as unknown as Record<string, unknown>;
  for (const name of WRITING_METHODS) {
    const original = byName[name];
    if (typeof original !== 'function') continue;
    byName[name] = function afterQueuedWrites(this: Handle, ...args: unknown[]): unknown {
      if (queued !== 0) flushWrites();
      return Reflect.apply(original, this, args);
    };
  }
  return true;
}

/** The handle's readStart: reads from the batches again, or from the handle while a large body streams in. */
function resumeReads(entry: Batched): number {
  entry.paused = false;
  if (entry.held !== null || entry.heldStatus !== null) {
    // Held bytes go first, before any read of the handle; after a held end of stream nothing more is read.
    entry.viaLibuv = false;
    setImmediate(deliverHeld, entry);
    return entry.heldStatus === null ? startWatching(entry) : 0;
  }
  return entry.viaLibuv ? entry.libuvStart() : startWatching(entry);
}

function pauseReads(entry: Batched): number {
  entry.paused = true;
  return entry.viaLibuv ? entry.libuvStop() : stopWatching(entry);
}

/** Hands a socket whose body streams in to its handle, which reads straight into the socket's own large buffers. */
function readThroughLibuv(entry: Batched): void {
  stopWatching(entry);
  entry.viaLibuv = true;
  // The handle reads into the buffer it was last given: the socket's next one is newer (the batches moved it on).
  entry.handle.useUserBuffer((entry.reads.buffer as () => Uint8Array)());
  entry.libuvStart();
}

function startWatching(entry: Batched): number {
  if (entry.watching || entry.ended) return 0;
  const fd = entry.handle.fd;
  if (fd < 0) return -9; // EBADF: closed, or not connected yet
  entry.fd = fd;
  const status = (addon as BatchIoAddon).watch(fd, entry.id);
  if (status !== 0) return status;
  entry.watching = true;
  return 0;
}

function stopWatching(entry: Batched): number {
  if (!entry.watching) return 0;
  entry.watching = false;
  (addon as BatchIoAddon).unwatch(entry.fd);
  return 0;
}

function onBatch(count: number): void {
  batching = true;
  try {
    for (let i = 0; i < count; i++) {
      const entry = watched.get(reads[3 * i] as number);
      // Closed by a delivery earlier in this batch: what it had read goes nowhere, as with a destroyed socket.
      if (entry === undefined || entry.ended) continue;
      const n = reads[3 * i + 2] as number;
      if (entry.held !== null || entry.heldStatus !== null) {
        deliverHeld(entry);
        if (entry.ended) continue;
      }
      if (n > 0) {
        const offset = reads[3 * i + 1] as number;
        if (entry.held === null && !entry.paused) deliver(entry, dataBytes.subarray(offset, offset + n));
        else entry.held = joined(entry.held, dataBytes.subarray(offset, offset + n));
      } else {
        stopWatching(entry);
        if (entry.held === null && !entry.paused) endOfReads(entry, n);
        else entry.heldStatus = n;
      }
    }
  } finally {
    batching = false;
    if (queued !== 0) flushWrites();
  }
}

/** Copies `source` into the socket's next buffers and hands each to its reads, until done or the socket pauses. */
function deliver(entry: Batched, source: Uint8Array): void {
  let at = 0;
  while (at < source.length && !entry.paused && watched.has(entry.id)) {
    const target = (entry.reads.buffer as () => Uint8Array)();
    const take = Math.min(source.length - at, target.length);
    target.set(at === 0 && take === source.length ? source : source.subarray(at, at + take));
    entry.reads.next(take);
    at += take;
  }
  if (!watched.has(entry.id)) return;
  if (at < source.length) entry.held = joined(entry.held, source.subarray(at));
  // A body streaming in is read by the handle straight into the socket's own buffers: no copy from the batch's.
  else if (!entry.paused && !entry.viaLibuv && entry.heldStatus === null && entry.reads.large()) readThroughLibuv(entry);
  // Read by the handle already (a batch's read came after the switch): its buffer is the one just handed over.
  else if (entry.viaLibuv) entry.handle.useUserBuffer((entry.reads.buffer as () => Uint8Array)());
}

function deliverHeld(entry: Batched): void {
  if (entry.paused || entry.ended || !watched.has(entry.id)) return;
  const held = entry.held;
  entry.held = null;
  if (held !== null) deliver(entry, held);
  if (entry.held === null && entry.heldStatus !== null && watched.has(entry.id)) {
    const status = entry.heldStatus;
    entry.heldStatus = null;
    stopWatching(entry);
    endOfReads(entry, status);
  }
}

/** End of stream (0) or a read error (-errno): to Node's read handler, as libuv reports them. */
function endOfReads(entry: Batched, status: number): void {
  entry.ended = true;
  const { state, readBytesOrError } = streamInternals as StreamInternals;
  state[readBytesOrError] = status === 0 ? UV_EOF : status;
  entry.nodeOnread.call(entry.handle, undefined);
}

/** `held` and then `more`, as bytes of their own (the shared buffer is overwritten by the next batch). */
function joined(held: Uint8Array | null, more: Uint8Array): Uint8Array {
  if (held === null) return Uint8Array.prototype.slice.call(more);
  const both = new Uint8Array(held.length + more.length);
  both.set(held);
  both.set(more, held.length);
  return both;
}

/**
 * Before a write of `length` bytes while a batch is handled: makes the queued writes now when this one could not be
 * queued after them (no room, or too large to copy). Called before the writer decides how to write (direct-writes.ts):
 * the rest of a queued write the kernel does not take goes on through the socket's Writable, after which the socket
 * must be written through it too.
 */
export function makeRoomToQueue(length: number): void {
  if (batching && queued !== 0 && (length > MAX_QUEUED_WRITE || outUsed + length > OUT_SIZE || queued === WRITE_RECORDS)) {
    flushWrites();
  }
}

/** The batched socket of `handle` when a write to it can be queued now (a batch is handled and there is room). */
function queueFor(handle: TcpHandle, length: number): Batched | undefined {
  if (!batching || length > MAX_QUEUED_WRITE || outUsed + length > OUT_SIZE || queued === WRITE_RECORDS) return undefined;
  const entry = (handle as Handle)[kBatched];
  if (entry === undefined) return undefined;
  if (entry.fd < 0) entry.fd = entry.handle.fd;
  return entry;
}

function record(entry: Batched, length: number): void {
  const at = 3 * queued;
  writes[at] = entry.fd;
  writes[at + 1] = outUsed;
  writes[at + 2] = length;
  writers[queued] = entry;
  queued++;
  outUsed += length;
}

/**
 * Queues `bytes` for the socket of `handle` when a batch is being handled, the socket is batched and there is room
 * (copied: the caller may reuse them at once); false when not, and the caller writes them itself. Only for a handle
 * direct-writes.ts may write to now (nothing queued in the socket's Writable), decided after makeRoomToQueue.
 */
export function queueBytes(handle: TcpHandle, bytes: Uint8Array): boolean {
  const entry = queueFor(handle, bytes.length);
  if (entry === undefined) return false;
  outBytes.set(bytes, outUsed);
  record(entry, bytes.length);
  return true;
}

/** queueBytes for a latin1 string. */
export function queueLatin1(handle: TcpHandle, text: string): boolean {
  const entry = queueFor(handle, text.length);
  if (entry === undefined) return false;
  latin1Write(outBytes, text, outUsed);
  record(entry, text.length);
  return true;
}

/** Makes the queued writes; the rest of any the kernel did not take whole goes on through Node, in order. */
function flushWrites(): void {
  const count = queued;
  queued = 0;
  outUsed = 0;
  const failed = (addon as BatchIoAddon).flush(count);
  // Copied out first: handing a rest to Node may flush (nothing is queued now) or close sockets.
  const rests: Array<{ entry: Batched; written: number; rest: Buffer }> = [];
  for (let f = 0; f < failed; f++) {
    const index = failures[2 * f] as number;
    const written = failures[2 * f + 1] as number;
    const offset = writes[3 * index + 1] as number;
    const length = writes[3 * index + 2] as number;
    const taken = written > 0 ? written : 0;
    rests.push({ entry: writers[index] as Batched, written, rest: Buffer.from(outBytes.subarray(offset + taken, offset + length)) });
  }
  writers.fill(undefined, 0, count);
  for (const { entry, written, rest } of rests) {
    const socket = entry.socket;
    if (socket.destroyed) continue;
    if (written < 0 && written !== -EAGAIN) socket.destroy(writeError(written));
    else writeRest(socket, rest);
  }
}

/**
 * Writes the rest of a queued write ahead of anything written to the socket after this call, whatever its Writable
 * holds: a flush may run inside Node's own write of the same socket (a handle method above), whose chunk must go
 * after it. direct-writes.ts gives it (straight to the handle, whose queue keeps the order, with its 'drain').
 */
let writeRest = (socket: Socket, bytes: Uint8Array): void => void socket.write(bytes);

export function useRestWriter(writer: (socket: Socket, bytes: Uint8Array) => void): void {
  writeRest = writer;
}
