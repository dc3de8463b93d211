import type { Socket } from 'node:net';
import { makeRoomToQueue, queueBytes, queueLatin1, useRestWriter } from './batched-io';
import { streamInternals, tcpHandleOf, writeError, type StreamInternals, type TcpHandle, type WriteRequest } from './node-internals';

/**
 * Writes to a plain TCP socket's handle, past Node's Writable, when nothing is queued in the Writable.
 *
 * Why: `socket.write` runs Writable's bookkeeping (writeOrBuffer, _write, onwrite and a process.nextTick for the
 * write callback) and instantiates a native WriteWrap object per write, although a small write on a connected
 * socket is taken by the kernel at once and none of that is used. Here the write goes straight to the handle
 * (the same `writeLatin1String`/`writeBuffer` call Node's own write ends in) with one WriteWrap reused for every
 * write that completes at once. A write the kernel takes only in part is finished by libuv later, like any of
 * Node's: its WriteWrap is then bound to it and replaced, the bytes are kept alive until it completes, and
 * 'drain' is emitted once every such write of the socket has completed (what Writable's 'drain' means for the
 * writes it reported false for; a later `socket.write` reports its own). libuv keeps a stream's writes in order
 * whoever issued them, so a `socket.write` or `socket.end` after a direct write goes out after it.
 *
 * While the batched-I/O addon handles a batch of reads (batched-io.ts), a write to a socket it reads is queued
 * instead, copied, and made with the batch's other writes when the batch is done.
 *
 * The handle's write methods and WriteWrap are Node internals (node-internals.ts); where they are missing every
 * write goes through `socket.write`.
 */
const internals = streamInternals;

/** Whether this Node lets the gateway write to socket handles directly (see above). */
export const directWritesAvailable = internals !== undefined;

/** Direct writes per socket that the kernel has not taken whole yet (rare: only those sockets are in it). */
const unfinished = new WeakMap<Socket, number>();

function onComplete(this: WriteRequest, status: number): void {
  const socket = this.socket as Socket;
  const onWritten = this.onWritten;
  this.socket = null;
  this.bytes = null;
  this.onWritten = null;
  onWritten?.();
  const left = (unfinished.get(socket) ?? 1) - 1;
  if (left === 0) unfinished.delete(socket);
  else unfinished.set(socket, left);
  if (socket.destroyed) return;
  if (status < 0) socket.destroy(writeError(status));
  else if (left === 0) socket.emit('drain');
}

function newRequest(WriteWrap: new () => WriteRequest): WriteRequest {
  const req = new WriteWrap();
  req.socket = null;
  req.bytes = null;
  req.onWritten = null;
  req.oncomplete = onComplete;
  return req;
}

/** Reused for every write that completes at once; replaced when a write keeps it. */
let spare: WriteRequest | null = internals ? newRequest(internals.WriteWrap) : null;

/** The socket's handle when a write may go to it directly: plain TCP, connected, writable, nothing queued. */
function directHandle(socket: Socket): TcpHandle | null {
  const state = (socket as unknown as { _writableState: { length: number; ending: boolean } })._writableState;
  // After end() a write must fail as Node fails it, not slip out before the FIN.
  if (internals === undefined || socket.connecting || state.length !== 0 || state.ending) return null;
  return tcpHandleOf(socket, internals);
}

/** After a handle write: false when it did not complete at once (the caller waits for 'drain', as with write()). */
function settle(socket: Socket, req: WriteRequest, status: number, bytes: Uint8Array | null, onWritten: (() => void) | null): boolean {
  const { state, lastWriteWasAsync, WriteWrap } = internals as StreamInternals;
  if (status !== 0) {
    socket.destroy(writeError(status));
    return false;
  }
  if (state[lastWriteWasAsync] === 0) return true;
  req.socket = socket;
  req.bytes = bytes;
  req.onWritten = onWritten;
  unfinished.set(socket, (unfinished.get(socket) ?? 0) + 1);
  spare = newRequest(WriteWrap);
  return false;
}

/** `socket.write(text, 'latin1')`, directly to the handle where possible. */
export function writeLatin1(socket: Socket, text: string): boolean {
  makeRoomToQueue(text.length);
  const handle = directHandle(socket);
  if (handle === null) return socket.write(text, 'latin1');
  if (!unfinished.has(socket) && queueLatin1(handle, text)) return true;
  const req = spare as WriteRequest;
  // A string the kernel does not take whole is copied by the handle: nothing of it needs keeping.
  return settle(socket, req, handle.writeLatin1String(req, text), null, null);
}

/**
 * `socket.write(bytes)`, directly to the handle where possible. As with write(), `bytes` must stay unchanged
 * until written: never a lent read (owned-reads.ts `kept`).
 */
export function writeBytes(socket: Socket, bytes: Uint8Array): boolean {
  makeRoomToQueue(bytes.length);
  const handle = directHandle(socket);
  if (handle === null) return socket.write(bytes);
  if (!unfinished.has(socket) && queueBytes(handle, bytes)) return true;
  const req = spare as WriteRequest;
  return settle(socket, req, handle.writeBuffer(req, bytes), bytes, null);
}

/** Whether a write to `socket` now would go to its handle directly (writeBorrowed may be used). */
export function directlyWritable(socket: Socket): boolean {
  return directHandle(socket) !== null;
}

/**
 * writeBytes for bytes the caller will reuse (a region it writes into again): when the kernel does not take them
 * whole, `onWritten` is called once the rest is written or the write is abandoned (the socket closed), and until
 * then the caller must leave them unchanged. Only when directlyWritable(socket) said so just before.
 */
export function writeBorrowed(socket: Socket, bytes: Uint8Array, onWritten: () => void): boolean {
  makeRoomToQueue(bytes.length);
  const handle = directHandle(socket);
  // Writes queued in a batch before this one went on through the Writable (the kernel did not take them whole):
  // this one follows them there, as a copy, and the region is the caller's again at once.
  if (handle === null) {
    socket.write(Buffer.from(bytes));
    return true;
  }
  if (!unfinished.has(socket) && queueBytes(handle, bytes)) return true;
  const req = spare as WriteRequest;
  return settle(socket, req, handle.writeBuffer(req, bytes), bytes, onWritten);
}

/**
 * For batched-io.ts: the rest of a queued write, ahead of every write to the socket after this call whatever its
 * Writable holds (the handle's queue keeps the order; a rest libuv finishes later counts as unfinished, with its
 * 'drain', and keeps further writes to the socket out of the batch's queue until then).
 */
function writeRest(socket: Socket, bytes: Uint8Array): void {
  const handle = internals === undefined ? null : tcpHandleOf(socket, internals);
  if (handle === null) {
    socket.write(bytes);
    return;
  }
  const req = spare as WriteRequest;
  settle(socket, req, handle.writeBuffer(req, bytes), bytes, null);
}

useRestWriter(writeRest);
