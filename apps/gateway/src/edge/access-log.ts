/**
 * The access log: one JSON line per request in the same shape @edd/logger writes
 * ({"time","level","service","msg",...fields}), but built by hand and written in batches.
 *
 * Why not Logger.info per request: measured at 8-9 µs per call (field copies, redaction regexes, a
 * Date, JSON.stringify, a stream write each) against a whole-request budget of 35 µs. Here a line
 * costs about a microsecond, and lines leave in one write per FLUSH_MS (or per 64 KiB): a busy gateway
 * does not pay a write syscall per request. close() flushes what is left.
 * Lines are copied into an off-heap buffer, not appended to a string: a batch held in a string (a rope of every
 * line's pieces) outlived young-generation collections, so the scavenger copied and promoted it, and old-generation
 * marking then cleaned it up. Up to PENDING_LINES plain lines wait as strings and go into the buffer joined, with
 * one call: each line's characters are then copied once, not flattened
 * into a string of its own and copied again, and the call into C++ is paid per batch of lines (~400 instructions a
 * request fewer); so few are too short-lived for a collection to find.
 * The usual line is not built as a string at all: the first log made in a process owns the head scanner's batch
 * region, and writeKept has the scanner build a request's line there from bytes (head-scanner.ts logLine): the
 * method, host and path it kept from the request's head in a log slot (log-slots.ts) and pieces set here once per
 * new second, route and status, and client. Under callgrind the log costs ~2,200 instructions a request this way against
 * ~4,040 as strings (gateway-instructions.ts, 50 connections, with and without --no-access-log). Other lines go into
 * the same region from strings, in order.
 * Nothing credential-like is ever logged: the path is logged without its query string.
 */
import { writeSync } from 'node:fs';
import { latin1Write, utf8Write } from './http/buffer-latin1';
import { flattened } from './http/flattened';
import { logBatchBuffer, logLine, MAX_LOG_LINE, setLogClient, setLogPrefix, setLogRoute, setLogTime } from './http/head-scanner';
import { hundredthsText } from './hundredths-text';

export interface AccessRecord {
  /** An id as isValidRequestId accepts it or mintedRequestId makes it (the edge logs no other): never escaped. */
  requestId: string;
  method: string;
  /** The host as the edge's parsers accept it (RFC 3986 reg-name or IP literal, lower-cased, no port): never escaped. */
  host: string;
  path: string;
  route: string;
  status: number;
  bytes: number;
  durationMs: number;
  client: string;
  cacheHit: boolean;
  /** When the request finished, wall-clock milliseconds since the epoch (may be fractional). */
  atMs: number;
}

export interface LineSink {
  /** Receives whole lines; the chunk is not reused afterwards. */
  write(chunk: Uint8Array): unknown;
}

/** A sink that is a stream on a file descriptor, as process.stdout is (a file, a pipe or a terminal). */
interface DescriptorSink extends LineSink {
  fd: number;
  writableLength: number;
}

function isDescriptorSink(sink: LineSink): sink is DescriptorSink {
  const s = sink as Partial<DescriptorSink>;
  return typeof s.fd === 'number' && s.fd >= 0 && typeof s.writableLength === 'number';
}

const MAX_BATCH = 64 * 1024;
const FLUSH_MS = 50;
/** The largest byte count or duration writeKept writes (the scanner's digits are exact up to there). */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** Plain lines held as strings before they are copied into the batch together (see above). */
const PENDING_LINES = 32;
const PENDING_CHARS = 16 * 1024;
/** "000" … "999": the milliseconds of an ISO time, so only one Date per second is formatted. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => String(ms).padStart(3, '0'));
/** What JSON.stringify escapes: `"`, backslash, C0 controls, lone surrogates (matched per UTF-16 unit). */
// eslint-disable-next-line no-control-regex -- control bytes are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\x00-\x1f\ud800-\udfff]/;
/**
 * Anything but printable ASCII other than `"` and backslash: a field without any is its own JSON string body and
 * one byte per character, so the line can be copied with a latin1 write. Others (escapes, or non-ASCII that
 * must become UTF-8) take the slow path.
 */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/** A JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** Whether a log writes into the head scanner's batch region (there is one): the first made does, until it closes. */
let regionTaken = false;
const NOT_ASCII = /[\x80-\uffff]/;

export class AccessLog {
  private batch: Buffer = Buffer.allocUnsafe(MAX_BATCH);
  private used = 0;
  private scheduled = false;
  private lastSecond = -1;
  /** '{"time":"YYYY-MM-DDTHH:MM:SS.' of lastSecond. */
  private lineStart = '';
  /** 'mmmZ","level":"info",…,"requestId":"' per millisecond, built on first use (the constant part after the time). */
  private readonly millisPrefix: string[] = new Array<string>(1000).fill('');
  private readonly prefix: string;
  private lastRoute = '';
  private lastStatus = 0;
  /** '","route":<route>,"status":<status>,"bytes":' of lastRoute and lastStatus (built once per new pair). */
  private routeStatus = '","route":"","status":0,"bytes":';
  /** The prefix and lastRoute's JSON string are ASCII, so a line of them can be written as latin1. */
  private routeLatin1 = true;
  private readonly prefixLatin1: boolean;
  /** Whether lines go into the scanner's batch region (see regionTaken), and writeKept may write them there. */
  private inRegion = false;
  /** The region holds the pieces of lastSecond, lastRoute and lastStatus, and lastClient (setLog*: they fit). */
  private timeInRegion = false;
  private routeInRegion = false;
  private clientInRegion = false;
  private lastClient = '';
  /** ',"client":"<client>"}\n' and the same with the cache field, of lastClient (one per connection). */
  private clientEnd = '';
  private clientEndHit = '';
  /** Latin1 lines not yet copied into the batch (see writePending), and their length. */
  private readonly pending: string[] = [];
  private pendingChars = 0;

  constructor(
    private readonly sink: LineSink,
    service = 'gateway',
  ) {
    this.prefix = `Z","level":"info","service":${JSON.stringify(service)},"msg":"request","component":"access","requestId":`;
    this.prefixLatin1 = !NOT_ASCII.test(this.prefix);
    this.routeLatin1 = this.prefixLatin1;
    if (!regionTaken && setLogPrefix(`${this.prefix}"`)) {
      regionTaken = true;
      this.inRegion = true;
      this.batch = logBatchBuffer();
    }
    this.setClient('');
  }

  /** Whether writeKept may write lines: requests worth keeping in a log slot (client-connection.ts). */
  get keepsLines(): boolean {
    return this.inRegion;
  }

  /**
   * The line of a request whose method, host and path are in log slot `slot` (head-scanner.ts keepLogRequest), with
   * the minted request id number `requestNumber`, written from bytes (see above); false when it cannot be, and then
   * write() must. `hundredths`: the duration in hundredths of a millisecond (an integer), the rest as AccessRecord.
   */
  writeKept(
    slot: number,
    requestNumber: number,
    route: string,
    status: number,
    bytes: number,
    hundredths: number,
    client: string,
    cacheHit: boolean,
    atMs: number,
  ): boolean {
    if (!this.inRegion || !(hundredths >= 0 && hundredths <= MAX_COUNT) || !(bytes >= 0 && bytes <= MAX_COUNT)) return false;
    const now = Math.floor(atMs);
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond) this.setSecond(second);
    if (route !== this.lastRoute || status !== this.lastStatus) this.setRoute(route, status);
    if (client !== this.lastClient) this.setClient(client);
    if (!(this.timeInRegion && this.routeInRegion && this.clientInRegion)) return false;
    if (this.pending.length !== 0) this.writePending();
    if (this.used + MAX_LOG_LINE > MAX_BATCH) this.flushBatch();
    this.used = logLine(slot, this.used, now - second * 1000, requestNumber, bytes, hundredths, cacheHit);
    this.schedule();
    return true;
  }

  write(r: AccessRecord): void {
    const now = Math.floor(r.atMs);
    const second = Math.floor(now / 1000);
    if (second !== this.lastSecond) this.setSecond(second);
    // Routes, statuses and clients are few and the same values each time: their pieces are built once per new value.
    if (r.route !== this.lastRoute || r.status !== this.lastStatus) this.setRoute(r.route, r.status);
    if (r.client !== this.lastClient) this.setClient(r.client);
    const ms = now - second * 1000;
    let millis = this.millisPrefix[ms] as string;
    if (millis === '') millis = this.millisPrefix[ms] = flattened(`${MILLIS[ms] as string}${this.prefix}"`);
    const end = r.cacheHit ? this.clientEndHit : this.clientEnd;
    // Of the per-request strings only the path can need escaping (see AccessRecord). It is checked as it is: a
    // pattern over the three joined cost ~1,300 instructions more, most of it flattening the joined string.
    if (this.routeLatin1 && !NOT_PLAIN.test(r.path)) {
      const line =
        `${this.lineStart}${millis}${r.requestId}","method":"${r.method}","host":"${r.host}","path":"${r.path}` +
        `${this.routeStatus}${r.bytes},"durationMs":${hundredthsText(r.durationMs)}${end}`;
      if (this.pendingChars + line.length > PENDING_CHARS) this.writePending();
      this.pending.push(line);
      this.pendingChars += line.length;
      if (this.pending.length === PENDING_LINES) this.writePending();
      this.schedule();
      return;
    }
    this.writePending();
    const line =
      `${this.lineStart}${millis.slice(0, -1)}${jsonString(r.requestId)},"method":"${r.method}","host":${jsonString(r.host)},` +
      `"path":${jsonString(r.path)}${this.routeStatus.slice(1)}${r.bytes},"durationMs":${hundredthsText(r.durationMs)}${end}`;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: flush first unless the line surely fits.
    if (this.used + line.length * 3 > MAX_BATCH) {
      this.flushBatch();
      if (line.length * 3 > MAX_BATCH) {
        this.sink.write(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.used += utf8Write(this.batch, line, this.used);
    this.schedule();
  }

  /** The pending latin1 lines, joined (one copy of each) and copied into the batch with one call. */
  private writePending(): void {
    const count = this.pending.length;
    if (count === 0) return;
    const text = count === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending.length = 0;
    this.pendingChars = 0;
    // Every character is one byte.
    if (this.used + text.length > MAX_BATCH) this.flushBatch();
    if (text.length <= MAX_BATCH) this.used += latin1Write(this.batch, text, this.used);
    else this.sink.write(Buffer.from(text, 'latin1'));
  }

  flush(): void {
    this.writePending();
    this.flushBatch();
  }

  /** Flushes, and gives the scanner's batch region back for the next log made; later lines are written as strings. */
  close(): void {
    this.flush();
    if (this.inRegion) {
      regionTaken = false;
      this.inRegion = false;
      this.batch = Buffer.allocUnsafe(MAX_BATCH);
    }
  }

  private flushBatch(): void {
    this.scheduled = false;
    if (this.used === 0) return;
    // The sink may hold the chunk (a stream's queue): it gets this buffer, and lines go to a new one. Lines in the
    // scanner's region go to the sink's descriptor where it has one, and what that does not take is copied out.
    let out: Buffer;
    if (this.inRegion) {
      const taken = this.writeToDescriptor();
      if (taken === this.used) {
        this.used = 0;
        return;
      }
      out = Buffer.from(this.batch.subarray(taken, this.used));
    } else {
      out = this.batch.subarray(0, this.used);
      this.batch = Buffer.allocUnsafe(MAX_BATCH);
    }
    this.used = 0;
    this.sink.write(out);
  }

  /**
   * Writes the batch in the scanner's region straight to the sink's file descriptor, when the sink is a stream on one
   * with nothing of its own queued (so the bytes keep their order): the kernel copies them, where a chunk for the
   * stream is a 64 KiB buffer allocated and copied per batch (~0.7 % of the gateway's busy time in a CPU profile
   * under load, as much as parsing a response head). Returns the bytes taken; a pipe that is full (EAGAIN) or any
   * error leaves the rest to the stream, which queues it or reports the error as before.
   */
  private writeToDescriptor(): number {
    const sink = this.sink;
    if (!isDescriptorSink(sink) || sink.writableLength !== 0) return 0;
    let taken = 0;
    try {
      while (taken < this.used) taken += writeSync(sink.fd, this.batch, taken, this.used - taken);
    } catch {
      // The stream gets what is left.
    }
    return taken;
  }

  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(flushLog, FLUSH_MS, this).unref();
    }
  }

  private setSecond(second: number): void {
    this.lastSecond = second;
    this.lineStart = flattened(`{"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`);
    // Years past 9999 are written with six digits and a sign: longer than the region's piece.
    this.timeInRegion = this.inRegion && this.lineStart.length === 29;
    if (this.timeInRegion) setLogTime(this.lineStart);
  }

  private setRoute(route: string, status: number): void {
    this.lastRoute = route;
    this.lastStatus = status;
    this.routeStatus = flattened(`","route":${jsonString(route)},"status":${status},"bytes":`);
    this.routeLatin1 = this.prefixLatin1 && !NOT_ASCII.test(this.routeStatus);
    this.routeInRegion = this.inRegion && setLogRoute(this.routeStatus);
  }

  private setClient(client: string): void {
    this.lastClient = client;
    this.clientEnd = flattened(`,"client":"${client}"}\n`);
    this.clientEndHit = flattened(`,"client":"${client}","cache":"HIT"}\n`);
    this.clientInRegion = this.inRegion && setLogClient(this.clientEnd, this.clientEndHit);
  }
}

function flushLog(log: AccessLog): void {
  log.flush();
}
