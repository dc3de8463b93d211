/**
 * The check that a head is a whole common one, and where its lines end, as one WebAssembly pass over its bytes
 * (head-scanner.wat). The fast paths (request-head-fast.ts, parseCommonResponseHead) read fields from the tables it
 * fills: where each line ends, and which of the names they act on (knownField) each line holds.
 *
 * Why WebAssembly: the check used to be one compiled regular expression per head plus an `indexOf` per line. Under
 * callgrind, per proxied request (two heads), the patterns cost ~3,200 instructions and the `indexOf` calls ~1,200;
 * this pass ~1,500 and the copies into its memory ~600 (docs/gateway-performance.md, "Changes and their counts"). The
 * grammar is the patterns' own: tests/head-scanner.test.ts holds the two together.
 *
 * One scanner serves the whole process (JavaScript runs one head at a time): the line table holds the last
 * scan's lines only, so a caller reads it before scanning again.
 *
 * Small socket reads land in the scanner's input itself (the read region, owned-reads.ts), so the usual head is
 * scanned where the kernel put it: no copy into the scanner's memory (~580 instructions a head) and none out of the
 * read buffer (gateway-instructions.ts: ~36,060 against 38,539 instructions a proxied request, 2026-12-04).
 * Scanning any other bytes copies them over the region, so a read lying there is only good until the next scan of
 * something else.
 *
 * From what it has read, the module also writes the usual outgoing bytes, so no string is made of them: the heads
 * (emitResponse, emitRequest; emitted-heads.ts) and the access log's lines (keepLogRequest, logLine; access-log.ts).
 */
import { latin1Write } from './buffer-latin1';
import { isTokenByte } from './field-name';
import { WASM_BASE64 } from './head-scanner-wasm';
import { MINTED_ID_PREFIX } from './request-id';

interface ScannerExports {
  memory: { buffer: ArrayBuffer };
  scanRequest(length: number): number;
  scanResponse(length: number): number;
  hostName(from: number, to: number): number;
  sameBytes(from: number, at: number, length: number): number;
  emitResponse(parts: number, id: number, flags: number, bodyFrom: number, bodyTo: number): number;
  emitRequest(parts: number, id: number, forHost: number, toId: number): number;
  keepLogRequest(slot: number, methodLength: number, pathEnd: number, hostFrom: number, hostLength: number): number;
  logLine(slot: number, used: number, ms: number, id: number, bytes: number, hundredths: number, hit: number): number;
}

/** The part of the WebAssembly JavaScript API used here (the project's TypeScript libs do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

// The memory's layout, as head-scanner.wat uses it.
const QUERY_SLOT = 256;
const LINE_TABLE = 1024;
const MAX_LINES = 1024;
const NAME_KEYS = 5120;
const LINE_FIELDS = 6144;
const NAMES = 7168;
const NAME_SLOT = 32;
const INPUT = 8192;
const ID_LINE_LENGTH = 260;
const ID_LINE = 264;
const ID_LINE_MAX = 56;
const CHUNKED_LINE = 320;
const CLOSE_LINE = 352;
const HOST_RANGE = 376;
const PATH_ODD = 432;
const NIBBLE_LOW = 448;
const NIBBLE_HIGH = 464;
const DEADLINE_LINE_LENGTH = 384;
const DEADLINE_LINE = 388;
const DEADLINE_LINE_MAX = 44;
const KEPT_PARTS = 512;
/** The most kept parts emitResponse takes: the status line and the fields between at most 63 dropped ones. */
export const MAX_KEPT_PARTS = 64;
const OUTPUT = 65536;
const REQUEST_OUTPUT = 73728;
const FORWARDING = 81920;
const HOST_VALUES = 86016;
const HOST_VALUE_SLOT = 256;
const LOG_BATCH = 131072;
const LOG_TIME = 196608;
const LOG_PREFIX = 196640;
const LOG_ROUTE = 196864;
const LOG_CLIENT = 197376;
const LOG_CLIENT_HIT = 197632;
/** The most bytes of forwarding fields emitRequest takes (ConnectionForwarding.bytes, heads.ts). */
export const MAX_FORWARDING_BYTES = 512;
/**
 * Longer heads (beyond any limit the edge sets) are left to the complete parsers; a NUL follows the bytes, and
 * sixteen more bytes stay inside the memory for the pass's 16-byte loads past it.
 */
export const MAX_SCANNED_BYTES = 65536 - INPUT - 1 - 16;

const { Instance, Module } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
const scanner = new Instance(new Module(Buffer.from(WASM_BASE64, 'base64'))).exports as ScannerExports;
const memory = scanner.memory.buffer;
const input = new Uint8Array(memory, INPUT, MAX_SCANNED_BYTES);
const query = new Int32Array(memory, QUERY_SLOT, 1);
const pathOdd = new Int32Array(memory, PATH_ODD, 1);
/** The index of each line's CR in the last head scanned: the start line's at 0, then each field line's. */
export const lineEnds = new Int32Array(memory, LINE_TABLE, MAX_LINES);
/** Each field line's name in the last head scanned, as its knownField id (0: a name not known), from index 1. */
export const lineFields = new Uint8Array(memory, LINE_FIELDS, MAX_LINES);
const nameKeys = new Uint8Array(memory, NAME_KEYS, NAME_SLOT * NAME_SLOT);
const names = new Uint8Array(memory, NAMES, NAME_SLOT * NAME_SLOT);
const knownNames = new Map<string, number>();
/**
 * The kept parts of the last head read (response-head.ts, request-head-fast.ts): [from, to) offsets into the input,
 * in pairs.
 */
export const keptParts = new Int32Array(memory, KEPT_PARTS, 2 * MAX_KEPT_PARTS);

/**
 * Records [from, to) as kept part number `parts`; returns the new count, or -1 when the table is full (and for a
 * `parts` of -1, so a reader may record on after the table filled and look once at the end).
 */
export function addKeptPart(parts: number, from: number, to: number): number {
  if (parts === -1 || parts === MAX_KEPT_PARTS) return -1;
  keptParts[2 * parts] = from;
  keptParts[2 * parts + 1] = to;
  return parts + 1;
}
/** The Host value of the last request head read (request-head-fast.ts): [from, to) offsets into the input. */
export const hostRange = new Int32Array(memory, HOST_RANGE, 2);

/** The start of the input where reads land (owned-reads.ts): up to this many bytes, with room for the NUL after them. */
export const READ_REGION_SIZE = 4 * 1024;
const readRegion = Buffer.from(memory, INPUT, READ_REGION_SIZE);
/** The view lendRead made last, while the region still holds its bytes (nothing else was copied in since). */
let inPlace: Uint8Array | null = null;
/** How many bytes the last scan took (what is in the input from INPUT): emitResponse reads bodies from there. */
let scannedBytes = 0;
/** The request head readCommonRequestHead read last, while its bytes are still the input (noteRequestRead). */
let readRequest: object | null = null;
let readMethodLength = 0;
let readPathEnd = 0;
let readHostLength = 0;
/**
 * The region's views by length, made once each: a view is only a start and a length, and making one (subarray)
 * costs ~400 instructions a read (CreateTypedArray, and GetBuffer for the region's memory). At most 4,096 of them.
 */
const regionViews: (Buffer | undefined)[] = new Array<Buffer | undefined>(READ_REGION_SIZE).fill(undefined);

/** The first `length` bytes of `region` as a view, made once per length and kept in `views`. */
function viewOf(views: (Buffer | undefined)[], region: Buffer, length: number): Buffer {
  let view = views[length];
  if (view === undefined) views[length] = view = region.subarray(0, length);
  return view;
}

// Byte classes, one bit each: a token byte (RFC 9110 §5.6.2 tchar); a request field value byte (HTAB, SP,
// visible ASCII, obs-text: no other control byte, §5.5); a response field value or reason byte (anything but
// CR, LF and NUL: what the complete parser forwards); a request target byte (visible ASCII without '#'); a host
// name byte (RFC 3986 §3.2.2 reg-name: the complete parser's HOST pattern without its IP-literal branch); an
// upper-case letter; a target byte the path check looks at (requestPathMayBeInternal).
const REG_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~!$&'()*+,;=%-";
const classes = new Uint8Array(memory, 0, 256);
for (let b = 0; b < 256; b++) {
  classes[b] =
    (isTokenByte(b) ? 1 : 0) |
    (b === 9 || (b >= 0x20 && b !== 0x7f) ? 2 : 0) |
    (b !== 13 && b !== 10 && b !== 0 ? 4 : 0) |
    (b >= 0x21 && b <= 0x7e && b !== 0x23 ? 8 : 0) |
    (REG_NAME.includes(String.fromCharCode(b)) ? 16 : 0) |
    (b >= 0x41 && b <= 0x5a ? 32 : 0) |
    ('%./?\\'.includes(String.fromCharCode(b)) ? 64 : 0);
}

// The name scan's tables ($fields in head-scanner.wat): a bit per high nibble that any token byte has, set in that
// nibble's entry and in the entry of each low nibble it pairs with in a token byte. Exact only while the token bytes
// span at most eight high nibbles (six: 0x2_ to 0x7_); checked here, byte by byte.
const nibbleLow = new Uint8Array(memory, NIBBLE_LOW, 16);
const nibbleHigh = new Uint8Array(memory, NIBBLE_HIGH, 16);
let nibbleBit = 1;
for (let high = 0; high < 16; high++) {
  for (let low = 0; low < 16; low++) {
    if (!isTokenByte((high << 4) | low)) continue;
    if (nibbleHigh[high] === 0) {
      nibbleHigh[high] = nibbleBit;
      nibbleBit <<= 1;
    }
    nibbleLow[low] = (nibbleLow[low] as number) | (nibbleHigh[high] as number);
  }
}
for (let b = 0; b < 256; b++) {
  if ((((nibbleLow[b & 15] as number) & (nibbleHigh[b >> 4] as number)) !== 0) !== isTokenByte(b)) {
    throw new Error(`head-scanner: the nibble tables do not tell token byte ${b} right`);
  }
}

/**
 * Where the common request head at the start of bytes[0, length) ends: the index of its empty line's CR, or -1 when
 * `bytes` does not start with a whole one. A common head here is upper-case letters (the caller checks the
 * method), a space, an origin-form target, ` HTTP/1.0` or ` HTTP/1.1`, then field lines (a token, ':', field
 * content) and the empty line. Fills lineEnds and the target's first '?' (requestQuery).
 */
export function scanRequestHead(bytes: Uint8Array, length: number): number {
  return copyIn(bytes, length) ? scanner.scanRequest(length) : -1;
}

/** The index of the first '?' in the last request head scanned, or -1. */
export function requestQuery(): number {
  return query[0] as number;
}

/**
 * Whether the path of the last request head scanned (its target up to the first '?') may be one of the services'
 * internal routes or needs normalising first: pathMayBeInternal (internal-path.ts) of it, found while scanning.
 */
export function requestPathMayBeInternal(): boolean {
  return pathOdd[0] === 1;
}

/**
 * As scanRequestHead, for a response head: `HTTP/1.0` or `HTTP/1.1`, a status from 100 to 999, an optional
 * reason, then field lines whose values may hold any byte but CR, LF and NUL.
 */
export function scanResponseHead(bytes: Uint8Array, length: number): number {
  return copyIn(bytes, length) ? scanner.scanResponse(length) : -1;
}

/**
 * The Host value at [from, to) of the request head last scanned, when it is `reg-name[:port]` (port: at most five
 * digits): where its name ends (the ':' or `to`), plus HOST_HAS_UPPER when the name holds an upper-case letter; -1
 * for anything else (an IP literal, a byte no host name holds). The byte at `to` must be none of a host name's
 * (what follows a value: whitespace or its line's CR). A JavaScript loop over the value cost ~35 instructions a byte
 * (gateway-instructions.ts --top, 2026-12-04).
 */
export function hostNameEnd(from: number, to: number): number {
  return scanner.hostName(from, to);
}
export const HOST_HAS_UPPER = 65536;

/** Slots for Host values (host-values.ts) in the module's memory, and the longest value one takes. */
export const HOST_VALUE_SLOTS = 16;
export const MAX_HOST_VALUE = HOST_VALUE_SLOT - 8;
const wholeMemory = new Uint8Array(memory);

/** Copies the Host value at [from, to) of the head last scanned (at most MAX_HOST_VALUE bytes) into slot `slot`. */
export function keepHostBytes(slot: number, from: number, to: number): void {
  wholeMemory.copyWithin(HOST_VALUES + slot * HOST_VALUE_SLOT, INPUT + from, INPUT + to);
}

/**
 * Whether [from, to) of the head last scanned holds the bytes slot `slot` kept (keepHostBytes), when those were
 * `to - from` bytes long. A JavaScript loop over a 21-byte value cost ~35 instructions a byte.
 */
export function sameHostBytes(slot: number, from: number, to: number): boolean {
  return scanner.sameBytes(from, HOST_VALUES + slot * HOST_VALUE_SLOT, to - from) === 1;
}

/** How many bytes the last scan took: a head emitted from it may use its bytes up to there. */
export function lastScannedBytes(): number {
  return scannedBytes;
}

/** The largest response emitResponse builds: a read region's worth of head and body, and the fields it adds. */
export const MAX_EMITTED = READ_REGION_SIZE + 256;
/** The emitted responses' views by length, made once each (see viewOf). */
const outputViews: (Buffer | undefined)[] = new Array<Buffer | undefined>(MAX_EMITTED + 1).fill(undefined);
const outputRegion = Buffer.from(memory, OUTPUT, MAX_EMITTED);
new Uint8Array(memory, CHUNKED_LINE, 28).set(Buffer.from('\r\nTransfer-Encoding: chunked', 'latin1'));
new Uint8Array(memory, CLOSE_LINE, 19).set(Buffer.from('\r\nConnection: close', 'latin1'));

/**
 * The prefix of the ids emitResponse, emitRequest and logLine write: request-id.ts's minted ids are the prefix, then a
 * number in base 36. Set when this module loads: every writer of a minted id number needs it.
 */
function setEmittedIdPrefix(prefix: string): void {
  const line = Buffer.from(`X-Request-ID: ${prefix}`, 'latin1');
  if (line.length > ID_LINE_MAX) throw new Error(`setEmittedIdPrefix: '${prefix}' is longer than ${ID_LINE_MAX - 14} bytes`);
  new Uint8Array(memory, ID_LINE, line.length).set(line);
  new Int32Array(memory, ID_LINE_LENGTH, 1)[0] = line.length;
}
setEmittedIdPrefix(MINTED_ID_PREFIX);

/**
 * The response for the client built from the response head last scanned, as bytes, without a string of it: the
 * kept parts (keptParts[0, 2 * parts)), `X-Request-ID: ` and the minted id number `id`, Transfer-Encoding: chunked
 * (`chunked`), Connection: close (`close`), the empty line and the body at [bodyFrom, bodyTo) of the scanned bytes.
 * The caller makes sure it is at most MAX_EMITTED bytes. The view is good until the next call: what writes it and
 * does not finish at once must keep the next call from coming (emitted-heads.ts, EmitRegion).
 */
export function emitResponse(parts: number, id: number, chunked: boolean, close: boolean, bodyFrom: number, bodyTo: number): Buffer {
  return viewOf(outputViews, outputRegion, scanner.emitResponse(parts, id, (chunked ? 1 : 0) | (close ? 2 : 0), bodyFrom, bodyTo));
}

/** The largest request emitRequest builds: a read region's worth of head, the forwarding fields, id and deadline. */
export const MAX_EMITTED_REQUEST = READ_REGION_SIZE + MAX_FORWARDING_BYTES + 128;
const requestViews: (Buffer | undefined)[] = new Array<Buffer | undefined>(MAX_EMITTED_REQUEST + 1).fill(undefined);
const requestRegion = Buffer.from(memory, REQUEST_OUTPUT, MAX_EMITTED_REQUEST);
const forwardingSlot = new Uint8Array(memory, FORWARDING, MAX_FORWARDING_BYTES);
/** The bytes forwardingSlot holds (emitRequest). */
let forwardingInSlot: Uint8Array | undefined;
const deadlineLineSlot = Buffer.from(memory, DEADLINE_LINE, DEADLINE_LINE_MAX);
const deadlineLineLength = new Int32Array(memory, DEADLINE_LINE_LENGTH, 1);

/** The X-Request-Deadline line emitRequest writes ("\r\nX-Request-Deadline: <ms>\r\n", as heads.ts builds it). */
export function setEmittedDeadlineLine(line: string): void {
  if (line.length > DEADLINE_LINE_MAX) throw new Error(`setEmittedDeadlineLine: longer than ${DEADLINE_LINE_MAX} bytes`);
  deadlineLineLength[0] = latin1Write(deadlineLineSlot, line, 0);
}

/**
 * The head to send upstream built from the request head last read, as bytes (see head-scanner.wat emitRequest): its
 * start line and kept fields (keptParts[0, 2 * parts)), the connection's forwarding fields (`forwarding`: those before
 * the Host value are its first `forHost` bytes), the Host value (hostRange), the minted id number `id`, the deadline
 * line (setEmittedDeadlineLine). The view is good until the next call (as emitResponse's).
 */
export function emitRequest(parts: number, id: number, forwarding: Uint8Array, forHost: number): Buffer {
  // Connections from one address share their forwarding bytes (heads.ts connectionForwarding), which no one changes:
  // the same ones as last time are in the slot already (TypedArray#set cost ~170 instructions a request).
  if (forwarding !== forwardingInSlot) {
    forwardingSlot.set(forwarding);
    forwardingInSlot = forwarding;
  }
  return viewOf(requestViews, requestRegion, scanner.emitRequest(parts, id, forHost, forwarding.length - forHost));
}

/** The whole read region: the buffer a socket reads into when it reads into the scanner's input. */
export function readRegionBuffer(): Buffer {
  return readRegion;
}

/**
 * The first `length` bytes of the read region, which a read has just filled, as a view the next scan of it takes in
 * place. The view is lent: the next read into the region, or a scan of other bytes, overwrites it.
 */
export function lendRead(length: number): Buffer {
  const view = viewOf(regionViews, readRegion, length);
  inPlace = view;
  return view;
}

/** Whether `bytes` start inside the read region (a lent read or part of one): what keeps them must copy them. */
export function inReadRegion(bytes: Uint8Array): boolean {
  const offset = bytes.byteOffset;
  return offset >= INPUT && offset < INPUT + READ_REGION_SIZE && bytes.buffer === memory;
}

/** Puts bytes[0, length) into the scanner's memory unless a lent read holds them there already; false when they do not fit. */
function copyIn(bytes: Uint8Array, length: number): boolean {
  scannedBytes = length;
  readRequest = null;
  // All of the lent read: in place (the scanner's NUL then lands just after it, outside the view).
  if (bytes === inPlace && length === bytes.length) return true;
  inPlace = null;
  if (length > MAX_SCANNED_BYTES) {
    scannedBytes = 0;
    return false;
  }
  // A view is only made when part of the chunk is scanned (a head with a large body behind it).
  input.set(length === bytes.length ? bytes : bytes.subarray(0, length));
  return true;
}

/**
 * The id the scanner gives a field line named `lower` in any letter case (lineFields), so the parsers act on a
 * line by its id instead of comparing its name (under callgrind that comparison cost ~900 instructions per proxied
 * request). Names are lower-case letters and '-', under 32 bytes, and two known names must differ in length or
 * first letter (the scanner finds a name's candidate by those two and then compares it): a clash throws when the
 * module loads, so it cannot go unnoticed. The same name gets the same id.
 */
export function knownField(lower: string): number {
  const known = knownNames.get(lower);
  if (known !== undefined) return known;
  if (!/^[a-z-]{1,31}$/.test(lower)) throw new Error(`knownField: '${lower}' is not a lower-case name of letters and '-' under 32 bytes`);
  const id = knownNames.size + 1;
  if (id >= NAME_SLOT) throw new Error(`knownField: no id left for '${lower}' (at most ${NAME_SLOT - 1} names)`);
  const key = (lower.length << 5) | (lower.charCodeAt(0) & 31);
  if (nameKeys[key] !== 0) throw new Error(`knownField: '${lower}' has the length and first letter of another known name`);
  nameKeys[key] = id;
  names.set(Buffer.from(lower, 'latin1'), id * NAME_SLOT);
  knownNames.set(lower, id);
  return id;
}

/** A table from knownField ids to what a parser does with each name (`kinds`); every other id maps to 0. */
export function fieldKinds(kinds: Readonly<Record<string, number>>): Uint8Array {
  const table = new Uint8Array(NAME_SLOT);
  for (const [name, kind] of Object.entries(kinds)) table[knownField(name)] = kind;
  return table;
}

// ---------------------------------------------------------------- the access log's lines (access-log.ts)

/** How many log slots there are (head-scanner.wat): one is held per request whose line logLine will write. */
export const LOG_SLOTS = 8192;
/** The batch logLine appends to, and the most one line adds to it (the pieces' limits, with room to spare). */
export const LOG_BATCH_SIZE = 65536;
export const MAX_LOG_LINE = 2048;
const logBatch = Buffer.from(memory, LOG_BATCH, LOG_BATCH_SIZE);

/** The batch region as a buffer, for lines written from strings between those logLine writes. */
export function logBatchBuffer(): Buffer {
  return logBatch;
}

/** Writes `bytes` as the length-prefixed piece at `at`, if they fit in `max`; false otherwise (the piece is unchanged). */
function setPiece(at: number, max: number, bytes: Buffer): boolean {
  if (bytes.length > max) return false;
  new Uint8Array(memory, at + 4, bytes.length).set(bytes);
  new Int32Array(memory, at, 1)[0] = bytes.length;
  return true;
}

/** '{"time":"YYYY-MM-DDTHH:MM:SS.' of the current second (29 latin1 characters). */
export function setLogTime(text: string): void {
  latin1Write(Buffer.from(memory, LOG_TIME, 32), text, 0);
}

/** The constant part after the time, up to the request id's quote; its UTF-8 bytes, false when they do not fit. */
export function setLogPrefix(text: string): boolean {
  return setPiece(LOG_PREFIX, 188, Buffer.from(text, 'utf8'));
}

/** '","route":…,"status":…,"bytes":' of the current route and status, as UTF-8; false when it does not fit. */
export function setLogRoute(text: string): boolean {
  return setPiece(LOG_ROUTE, 508, Buffer.from(text, 'utf8'));
}

/** The end of the current client's lines, without and with the cache field; false when they do not fit. */
export function setLogClient(end: string, endHit: string): boolean {
  return setPiece(LOG_CLIENT, 252, Buffer.from(end, 'utf8')) && setPiece(LOG_CLIENT_HIT, 252, Buffer.from(endHit, 'utf8'));
}

/**
 * Notes `req` as the request head just read from the scanner's input (request-head-fast.ts): its method is
 * `methodLength` bytes, its path ends at `pathEnd`, its host name is the first `hostLength` bytes of the Host value
 * (hostRange). keepLogRequest takes it until the next scan.
 */
export function noteRequestRead(req: object, methodLength: number, pathEnd: number, hostLength: number): void {
  readRequest = req;
  readMethodLength = methodLength;
  readPathEnd = pathEnd;
  readHostLength = hostLength;
}

/**
 * Keeps the method, host name and path of `req` in log slot `slot` for logLine, as the JSON of its line
 * ('","method":"…","host":"…","path":"…'), when `req` is the head last read and its bytes are still the input; false
 * otherwise, or when the path needs escaping or the part does not fit its slot.
 */
export function keepLogRequest(slot: number, req: object): boolean {
  return req === readRequest && scanner.keepLogRequest(slot, readMethodLength, readPathEnd, hostRange[0] as number, readHostLength) === 1;
}

/**
 * Appends the access log line of the request kept in log slot `slot` to the batch, which holds `used` bytes; returns
 * its new length. `ms`: the millisecond within the second set by setLogTime; `id`: the minted request id's number;
 * `bytes` and `hundredths` (the duration in hundredths of a millisecond): non-negative integers below 2^53. The
 * caller leaves MAX_LOG_LINE bytes of room.
 */
export function logLine(slot: number, used: number, ms: number, id: number, bytes: number, hundredths: number, hit: boolean): number {
  return scanner.logLine(slot, used, ms, id, bytes, hundredths, hit ? 1 : 0);
}
