import type { Socket } from 'node:net';
import { latin1Write } from './buffer-latin1';
import { writeBytes, writeLatin1 } from './direct-writes';
import { flattened } from './flattened';
import { emitRequest, MAX_FORWARDING_BYTES, setEmittedDeadlineLine } from './head-scanner';
import type { RequestHead } from './request-head';
import type { ResponseHead } from './response-head';

/** Head and body below this size are copied into one buffer: one write, one syscall. */
const COALESCE_LIMIT = 16 * 1024;
/**
 * Bodies up to this size are copied byte by byte: Buffer#copy of a slice builds a Uint8Array view of the source
 * (Node 20's _copyActual), about 1,500 instructions before the first byte moves.
 */
const COPY_LOOP_LIMIT = 256;

/**
 * The forwarding fields that depend only on the connection (client address, scheme), built once per connection
 * (and flattened: see flattened.ts) rather than joined again for every request on it.
 */
export interface ConnectionForwarding {
  clientIp: string;
  proto: string;
  /** "\r\nX-Forwarded-For: <ip>\r\nX-Forwarded-Proto: <proto>\r\nX-Forwarded-Host: " (the client sent no X-Forwarded-For). */
  forwardedForHost: string;
  /** "\r\nX-Real-IP: <ip>\r\nX-Request-ID: " */
  realIpRequestId: string;
  /** forwardedForHost and realIpRequestId as bytes, one after the other, for emitRequest (emitted-heads.ts). */
  bytes: Buffer;
}

/** The last forwarding made: connections from one address (a browser opens several) share it. */
let lastForwarding: ConnectionForwarding | undefined;

/**
 * The forwarding fields of a connection from `clientIp`, the same (immutable) object for consecutive connections from
 * one address: emitRequest then finds them already in the module's memory (head-scanner.ts) and copies nothing.
 */
export function connectionForwarding(clientIp: string, secure: boolean): ConnectionForwarding {
  const proto = secure ? 'https' : 'http';
  if (lastForwarding !== undefined && lastForwarding.clientIp === clientIp && lastForwarding.proto === proto) return lastForwarding;
  const forwardedForHost = flattened(`\r\nX-Forwarded-For: ${clientIp}\r\nX-Forwarded-Proto: ${proto}\r\nX-Forwarded-Host: `);
  const realIpRequestId = flattened(`\r\nX-Real-IP: ${clientIp}\r\nX-Request-ID: `);
  const bytes = Buffer.from(forwardedForHost + realIpRequestId, 'latin1');
  lastForwarding = Object.freeze({ clientIp, proto, forwardedForHost, realIpRequestId, bytes });
  return lastForwarding;
}

// The deadline moves with the coarse clock (every 200 ms): its line is formatted once per value, not per request.
let lastDeadline = -1;
let lastDeadlineLine = '';

function deadlineLine(deadline: number): string {
  if (deadline !== lastDeadline) {
    lastDeadline = deadline;
    lastDeadlineLine = flattened(`\r\nX-Request-Deadline: ${deadline}\r\n`);
    setEmittedDeadlineLine(lastDeadlineLine);
  }
  return lastDeadlineLine;
}

/**
 * Whether upstreamRequestHead(req, path, requestId, fwd, deadline) may be emitted as bytes instead (emitUpstreamHead):
 * a head the scanner read (its parts and Host value in its tables, no head scanned since), going upstream as it
 * came (the target unchanged, its lines not rewritten), with no body, no client X-Forwarded-For and a minted id.
 */
export function upstreamHeadEmittable(req: RequestHead, path: string, requestNumber: number, fwd: ConnectionForwarding): boolean {
  return (
    req.scannedParts !== 0 &&
    requestNumber !== 0 &&
    path === req.target &&
    req.forwardedFor === '' &&
    req.contentLength === -1 &&
    !req.chunked &&
    req.upgrade === '' &&
    fwd.bytes.length <= MAX_FORWARDING_BYTES
  );
}

/**
 * upstreamRequestHead(req, req.target, mintedRequestId(requestNumber), fwd, deadline) as bytes, for a request that
 * upstreamHeadEmittable allowed: built in the head scanner's memory (head-scanner.ts emitRequest), good until the next
 * call.
 */
export function emitUpstreamHead(req: RequestHead, requestNumber: number, fwd: ConnectionForwarding, deadline: number): Buffer {
  deadlineLine(deadline);
  return emitRequest(req.scannedParts, requestNumber, fwd.bytes, fwd.forwardedForHost.length);
}

/**
 * The head sent upstream: request line with the routed path, then the forwarding fields first (a service that
 * keeps only its first N lines must never lose these; X-Forwarded-For appends the client address, the others
 * are ours, the client's copies were dropped by the parser; X-Request-Deadline is when the gateway stops waiting,
 * so a service that gets the request later does not run it), the client's end-to-end fields, and the framing
 * (one canonical Content-Length, or Transfer-Encoding) and upgrade fields the proxy owns (RFC 9110 §7.6.1).
 */
export function upstreamRequestHead(
  req: RequestHead,
  path: string,
  requestId: string,
  fwd: ConnectionForwarding,
  deadline: number,
): string {
  const forwardedForHost = req.forwardedFor
    ? `\r\nX-Forwarded-For: ${req.forwardedFor}, ${fwd.clientIp}\r\nX-Forwarded-Proto: ${fwd.proto}\r\nX-Forwarded-Host: `
    : fwd.forwardedForHost;
  const startLine = path === req.target ? req.startLine : `${req.method} ${path}${req.http10 ? ' HTTP/1.0' : ' HTTP/1.1'}`;
  return (
    `${startLine}${forwardedForHost}${req.hostHeader}${fwd.realIpRequestId}${requestId}` +
    `${deadlineLine(deadline)}${req.lines}` +
    (req.contentLength >= 0 ? `Content-Length: ${req.contentLength}\r\n` : '') +
    (req.chunked ? 'Transfer-Encoding: chunked\r\n' : '') +
    (req.upgrade ? `Connection: upgrade\r\nUpgrade: ${req.upgrade}\r\n` : '') +
    '\r\n'
  );
}

/** What follows the X-Request-ID value when there is no Transfer-Encoding: the usual head ends in one constant. */
const END = '\r\n\r\n';
const CLOSE_END = '\r\nConnection: close\r\n\r\n';

/**
 * The head sent to the client: the status line, `lines` (the upstream's fields minus hop-by-hop, as the response
 * head has them or with its Cache-Control replaced), cache fields, request id, framing.
 */
export function clientResponseHead(resp: ResponseHead, lines: string, cacheFields: string, requestId: string, close: boolean): string {
  // The ending (X-Request-ID's line end, framing fields, the empty line) as one piece: one string addition.
  const end = resp.transferEncoding ? `\r\nTransfer-Encoding: ${resp.transferEncoding}${close ? CLOSE_END : END}` : close ? CLOSE_END : END;
  return `${resp.statusLine}${lines}${cacheFields}X-Request-ID: ${requestId}${end}`;
}

/**
 * Writes a head and a body slice with as few syscalls as possible. Returns the socket's write() result. `text`,
 * when given, is latin1 text of all of `buf` (the head search made it, see head-search.ts): the body is then a
 * substring of it and head and body go out as one latin1 string, which Node copies once into the write, instead
 * of a buffer allocated, filled by a call into C++ and copied again.
 */
export function writeHeadAndBody(socket: Socket, head: string, buf: Buffer, start: number, end: number, text?: string): boolean {
  const bodyLength = end - start;
  if (text !== undefined) return writeLatin1(socket, head + text.slice(start, end));
  if (bodyLength <= COALESCE_LIMIT) {
    const out = Buffer.allocUnsafe(head.length + bodyLength);
    latin1Write(out, head, 0);
    if (bodyLength <= COPY_LOOP_LIMIT) {
      for (let i = 0, o = head.length; i < bodyLength; i++) out[o + i] = buf[start + i] as number;
    } else buf.copy(out, head.length, start, end);
    return writeBytes(socket, out);
  }
  // Only bodies above COALESCE_LIMIT get here, so never a lent read (owned-reads.ts: those are under 4 KiB).
  socket.cork();
  socket.write(head, 'latin1');
  const ok = socket.write(buf.subarray(start, end));
  socket.uncork();
  return ok;
}
