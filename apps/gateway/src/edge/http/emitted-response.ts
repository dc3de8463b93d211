import type { Socket } from 'node:net';
import { directlyWritable, writeBorrowed } from './direct-writes';
import { emitResponse, lastScannedBytes, MAX_EMITTED, setEmittedIdPrefix } from './head-scanner';
import { MINTED_ID_PREFIX } from './request-id';

/**
 * The usual response written to the client as bytes built in the head scanner's memory (head-scanner.ts
 * emitResponse) from the upstream's head and body where they were read, instead of a head string joined from
 * slices of the read's text, flattened by V8 and copied into the write. What it replaces cost ~1,000 instructions a
 * response under callgrind (`String::SlowFlatten` and its copy in the write, the pieces' concatenation).
 *
 * The bytes are one region every connection shares: a write the kernel does not take whole keeps it until the
 * write is done (`busy`), and meanwhile responses take the string path.
 */
setEmittedIdPrefix(MINTED_ID_PREFIX);

/** At most what emitResponse adds: X-Request-ID and an id, Transfer-Encoding and Connection lines, the empty line. */
const ADDED_BYTES = 128;

let busy = false;

function released(): void {
  busy = false;
}

/**
 * Whether the response head last scanned and what follows it up to `length` bytes (the read it came in) may be
 * emitted to `socket`: the scan took all of them, they fit with the fields the edge adds, nothing holds the region.
 */
export function canEmitResponse(socket: Socket, length: number): boolean {
  return !busy && length <= lastScannedBytes() && length + ADDED_BYTES <= MAX_EMITTED && directlyWritable(socket);
}

/**
 * Emits and writes the response (emitResponse's arguments) to `socket`, which canEmitResponse allowed just before
 * with no scan since; returns the write's result as writeBytes does.
 */
export function writeEmittedResponse(
  socket: Socket,
  parts: number,
  requestNumber: number,
  chunked: boolean,
  close: boolean,
  bodyFrom: number,
  bodyTo: number,
): boolean {
  const bytes = emitResponse(parts, requestNumber, chunked, close, bodyFrom, bodyTo);
  busy = true;
  const ok = writeBorrowed(socket, bytes, released);
  // Taken whole (or failed, and then not kept either): the region is free again. Otherwise `released` frees it.
  if (ok || socket.destroyed) busy = false;
  return ok;
}
