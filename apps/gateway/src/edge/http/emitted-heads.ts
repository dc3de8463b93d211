import type { Socket } from 'node:net';
import { directlyWritable, writeBorrowed } from './direct-writes';
import { emitResponse, lastScannedBytes, MAX_EMITTED, MAX_EMITTED_REQUEST, MAX_FORWARDING_BYTES } from './head-scanner';
import { emitUpstreamHead, type ConnectionForwarding } from './heads';
import type { RequestHead } from './request-head';

/**
 * The usual heads written as bytes built in the head scanner's memory (head-scanner.ts emitResponse, emitRequest)
 * from the head where it was read, instead of a head string joined from slices of the read's text, flattened by V8
 * and copied into the write: the response to the client (with its body, from the same read) and the head sent
 * upstream. Under callgrind the string path cost ~1,000 instructions a head more (`String::SlowFlatten` and its copy
 * in the write, the pieces' concatenation, and for a response the read's text).
 *
 * Each kind is built in one region every connection shares: a write the kernel does not take whole holds it until
 * the write is done, and meanwhile heads of that kind take the string path.
 */
class EmitRegion {
  private held = false;
  private readonly release = (): void => {
    this.held = false;
  };

  get free(): boolean {
    return !this.held;
  }

  write(socket: Socket, bytes: Buffer): boolean {
    this.held = true;
    const ok = writeBorrowed(socket, bytes, this.release);
    // Taken whole (or failed, and then not kept either): free again. Otherwise `release` frees it when done.
    if (ok || socket.destroyed) this.held = false;
    return ok;
  }
}

const responses = new EmitRegion();
const requests = new EmitRegion();

/** At most what emitResponse adds: X-Request-ID and an id, Transfer-Encoding and Connection lines, the empty line. */
const ADDED_TO_RESPONSE = 128;
/** At most what emitRequest adds besides the forwarding fields: the id's prefix and digits, the deadline line. */
const ADDED_TO_REQUEST = 128;

/**
 * Whether the response head last scanned and what follows it up to `length` bytes (the read it came in) may be
 * emitted to `socket`: the scan took all of them, they fit with the fields the edge adds, nothing holds the region.
 */
export function canEmitResponse(socket: Socket, length: number): boolean {
  return responses.free && length <= lastScannedBytes() && length + ADDED_TO_RESPONSE <= MAX_EMITTED && directlyWritable(socket);
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
  return responses.write(socket, emitResponse(parts, requestNumber, chunked, close, bodyFrom, bodyTo));
}

/**
 * Whether the request head last scanned, `headLength` bytes, may be emitted to `socket` as the head sent upstream
 * (heads.ts upstreamHeadEmittable says whether the head itself may): as canEmitResponse.
 */
export function canEmitUpstreamHead(socket: Socket, headLength: number): boolean {
  return (
    requests.free &&
    headLength <= lastScannedBytes() &&
    headLength + MAX_FORWARDING_BYTES + ADDED_TO_REQUEST <= MAX_EMITTED_REQUEST &&
    directlyWritable(socket)
  );
}

/** Emits (heads.ts emitUpstreamHead) and writes the head sent upstream, which canEmitUpstreamHead allowed just before. */
export function writeEmittedUpstreamHead(
  socket: Socket,
  req: RequestHead,
  requestNumber: number,
  fwd: ConnectionForwarding,
  deadline: number,
): boolean {
  return requests.write(socket, emitUpstreamHead(req, requestNumber, fwd, deadline));
}
