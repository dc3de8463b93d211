/**
 * Upstream response head parser (RFC 9112 §4, §6.3). Like the request side it produces the header block to
 * forward in one pass; hop-by-hop fields are dropped and the framing is reported separately.
 */
import { isToken, packedToken } from './field-name';
import { latin1Slice } from './buffer-latin1';
import { containsWord, owsDigits, owsTrimmed, owsValueIs, skipOws, wordSet } from './field-value';
import { addKeptPart, fieldKinds, keptParts, lineEnds, lineFields, scanResponseHead } from './head-scanner';
import { isConnectionOption, removeFields, removeListedFields } from './hop-by-hop';

export interface ResponseHead {
  status: number;
  /**
   * "HTTP/1.1 200 OK\r\n" (the version is normalised: the client speaks to us, not to the upstream). With its CRLF,
   * so the common head's is one slice of what was read: one piece fewer in every head built from it.
   */
  statusLine: string;
  /**
   * Forwarded header lines, each "Name: value\r\n", in the upstream's order. X-Request-ID is never in here;
   * Cache-Control is, and a response the gateway stores has it replaced (client-connection.ts).
   */
  lines: string;
  contentLength: number;
  chunked: boolean;
  /** Transfer-Encoding as received ('' when none); forwarded as is (we never re-code the body). */
  transferEncoding: string;
  /** The upstream closes after this response (Connection: close, or HTTP/1.0 without keep-alive). */
  close: boolean;
  upgrade: string;
  /** Facts the response cache decides on. */
  setCookie: boolean;
  cacheForbidden: boolean;
  varyUnsupported: boolean;
  contentEncoded: boolean;
  /**
   * For a head read from the scanner's tables (readCommonResponseHead), the number of its kept parts in
   * head-scanner.ts keptParts (the status line and the fields not dropped, as offsets into what was scanned), from
   * which emitResponse can build what the client gets while no other head has been scanned; else 0.
   */
  scannedParts: number;
}

const DIGITS = /^\d{1,15}$/;

/** The response fields the proxy acts on. */
const enum Field {
  Other,
  ContentLength,
  TransferEncoding,
  Connection,
  Upgrade,
  HopByHop,
  XRequestId,
  SetCookie,
  CacheControl,
  Vary,
  ContentEncoding,
}

/** Does a Vary value name anything but Origin/Accept-Encoding? */
function varyIsUnsupported(value: string): boolean {
  for (const token of value.toLowerCase().split(',')) {
    const t = token.trim();
    if (t && t !== 'origin' && t !== 'accept-encoding') return true;
  }
  return false;
}

const CACHE_CONTROL = packedToken('cache-control');
const CHUNKED = packedToken('chunked');
/** `chunked` as the edge writes it: a value spelled so is forwarded as this string without reading it as text. */
const CHUNKED_BYTES = Buffer.from('chunked', 'latin1');
const CLOSE = packedToken('close');
const CONNECTION = packedToken('connection');
const CONTENT_LENGTH = packedToken('content-length');
const KEEP_ALIVE = packedToken('keep-alive');
const TRANSFER_ENCODING = packedToken('transfer-encoding');
const VARY = packedToken('vary');
/** Cache-Control directives that keep a response out of the cache (the complete parser's pattern, as words). */
const NOT_STORED = wordSet('no-store', 'private', 'no-cache');

/** The fields the proxy acts on, by lower-case name; any other name is Other. */
const FIELD_OF_NAME: Readonly<Record<string, Field>> = {
  'cache-control': Field.CacheControl,
  connection: Field.Connection,
  'content-encoding': Field.ContentEncoding,
  'content-length': Field.ContentLength,
  'keep-alive': Field.HopByHop,
  'proxy-connection': Field.HopByHop,
  'set-cookie': Field.SetCookie,
  te: Field.HopByHop,
  'transfer-encoding': Field.TransferEncoding,
  upgrade: Field.Upgrade,
  vary: Field.Vary,
  'x-request-id': Field.XRequestId,
};
const FIELD_BY_NAME = new Map(Object.entries(FIELD_OF_NAME));
/** The same by the id the scanner gives each name (head-scanner.ts), for the common head. */
const FIELDS = fieldKinds(FIELD_OF_NAME);

/**
 * Parses `buf[0, headEnd)` where headEnd is the index of the blank line's "\r\n\r\n", trying the fast path first;
 * undefined when the head is malformed (the client would read another head than we did).
 */
export function parseResponseHead(buf: Buffer, headEnd: number): ResponseHead | undefined {
  const text = latin1Slice(buf, 0, headEnd + 4);
  return parseCommonResponseHead(buf, text, headEnd + 2) ?? parseAnyResponseHead(buf, text.slice(0, headEnd + 2));
}

/** The complete parser: the answer for every head, the common ones included (the fuzz test holds the two together). */
export function parseAnyResponseHead(bytes: Uint8Array, text: string): ResponseHead | undefined {
  const lineEnd = text.indexOf('\r\n');
  // A bare CR or LF in the status line or a NUL anywhere: the client would parse another head than we did.
  if (text.indexOf('\n') !== lineEnd + 1 || text.indexOf('\r') !== lineEnd || text.indexOf('\0') !== -1) return undefined;
  // "HTTP/1.x SSS reason"
  if (lineEnd < 12 || !text.startsWith('HTTP/1.') || (text.charCodeAt(12) !== 32 && lineEnd > 12)) return undefined;
  const http10 = text.charCodeAt(7) === 48; /* '0' */
  const status = Number(text.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999) return undefined;
  const statusLine = `HTTP/1.1${text.slice(8, lineEnd)}\r\n`;

  let contentLength = -1;
  let transferEncoding = '';
  let close = http10;
  let upgrade = '';
  let setCookie = false;
  let cacheForbidden = false;
  let varyUnsupported = false;
  let contentEncoded = false;
  let listed: string[] | undefined;

  let lines = '';
  let keptFrom = lineEnd + 2;
  let pos = keptFrom;
  while (pos < text.length) {
    const end = text.indexOf('\r\n', pos);
    // A bare LF or CR inside a line is never forwarded (response splitting towards the client).
    if (text.indexOf('\n', pos) !== end + 1 || text.indexOf('\r', pos) !== end) return undefined;
    const colon = text.indexOf(':', pos);
    if (colon === -1 || colon > end) return undefined;
    // A token: no whitespace inside or around the name, no obs-fold (RFC 9112 §5.1, §5.2).
    if (!isToken(text, pos, colon)) return undefined;
    let drop = false;
    switch (FIELD_BY_NAME.get(text.slice(pos, colon).toLowerCase()) ?? Field.Other) {
      case Field.Other:
        break;
      case Field.ContentLength: {
        const value = text.slice(colon + 1, end).trim();
        if (!DIGITS.test(value)) return undefined;
        const n = Number(value);
        if (contentLength !== -1 && contentLength !== n) return undefined;
        contentLength = n;
        break;
      }
      case Field.TransferEncoding: {
        const value = text.slice(colon + 1, end).trim();
        transferEncoding = transferEncoding ? `${transferEncoding}, ${value}` : value;
        drop = true;
        break;
      }
      case Field.Connection: {
        const value = text
          .slice(colon + 1, end)
          .trim()
          .toLowerCase();
        if (value === 'keep-alive') {
          if (http10) close = false;
        } else {
          for (const raw of value.split(',')) {
            const token = raw.trim();
            if (token === 'close') close = true;
            else if (token === 'keep-alive') {
              if (http10) close = false;
            } else if (token && !isConnectionOption(token)) (listed ??= []).push(token);
          }
        }
        drop = true;
        break;
      }
      case Field.Upgrade:
        upgrade = text.slice(colon + 1, end).trim();
        drop = true;
        break;
      case Field.HopByHop:
      case Field.XRequestId:
        drop = true;
        break;
      case Field.SetCookie:
        setCookie = true;
        break;
      case Field.CacheControl: {
        const value = text.slice(colon + 1, end);
        if (/no-store|private|no-cache/i.test(value)) cacheForbidden = true;
        break;
      }
      case Field.Vary: {
        // Only Origin/Accept-Encoding variations are understood (requests with Origin bypass the cache,
        // encoded bodies are not stored); anything else is never cached.
        if (varyIsUnsupported(text.slice(colon + 1, end))) varyUnsupported = true;
        break;
      }
      case Field.ContentEncoding:
        contentEncoded = true;
        break;
    }
    if (drop) {
      lines += text.slice(keptFrom, pos);
      keptFrom = end + 2;
    }
    pos = end + 2;
  }
  lines += text.slice(keptFrom);
  if (listed) lines = removeListedFields(lines, listed);

  let chunked = false;
  if (transferEncoding) {
    // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; a final coding other than chunked means
    // the body ends when the connection closes.
    if (contentLength !== -1) {
      // Both framings: never pass both on (the client might pick the other one), and do not reuse a
      // connection whose upstream may frame the next response differently from us.
      lines = removeFields(lines, ['content-length']);
      close = true;
    }
    contentLength = -1;
    const codings = transferEncoding.toLowerCase().split(',');
    if (codings[codings.length - 1]?.trim() === 'chunked') chunked = true;
    else close = true;
  }
  return {
    status,
    statusLine,
    lines,
    contentLength,
    chunked,
    transferEncoding,
    close,
    upgrade,
    setCookie,
    cacheForbidden,
    varyUnsupported,
    contentEncoded,
    scannedParts: 0,
  };
}

// ---------------------------------------------------------------- the common head, in one pass

/**
 * The length of the common response head at the start of bytes[0, length), up to and including its last line's
 * CRLF (the empty line follows), or -1 when they do not start with a whole common head: "HTTP/1.0|1.1 SSS[ reason]"
 * and lines of a token, ':' and a value with no CR, LF or NUL, then the empty line (head-scanner.ts). Whatever
 * follows the empty line (a body) is not read.
 */
export function commonResponseHeadLength(bytes: Uint8Array, length = bytes.length): number {
  return scanResponseHead(bytes, length);
}

/**
 * The heads upstreams send nearly always, checked by one WebAssembly pass (head-scanner.ts) and read line by line
 * without per-line checks or trimmed copies: "HTTP/1.0|1.1 SSS reason", then "name: value" lines whose names are
 * tokens and whose values hold no CR, LF or NUL, framed by one Content-Length of digits or by `Transfer-Encoding: chunked`,
 * with Connection at most `keep-alive` or `close`. Returns undefined for anything else (malformed or rare:
 * Upgrade, listed Connection options, both framings, odd whitespace), and parseAnyResponseHead decides; whatever
 * this returns, that returns too (tests/head-fast-paths.test.ts compares them on random heads).
 * `text` is latin1 text of `bytes` (the buffer the head was read from) that holds the whole head: its lines up to
 * `n` (just after the last line's CRLF), then the empty line, then possibly the start of a body.
 */
export function parseCommonResponseHead(bytes: Uint8Array, text: string, n: number): ResponseHead | undefined {
  return bytes.length >= n + 2 && commonResponseHeadLength(bytes, n + 2) === n ? readCommonResponseHead(bytes, text, n) : undefined;
}

/**
 * parseCommonResponseHead once the scanner has taken the head: `n` is what commonResponseHeadLength returned, and no
 * other head has been scanned since (the line ends are read from its table); `text` is latin1 text of `bytes`.
 *
 * Without `text` the head is read from its bytes alone and its statusLine and lines are left empty: what it is sent
 * as is then emitted from its kept parts (emitted-heads.ts), or spelled out with spellResponseHead first. A head
 * that cannot be read so (an HTTP/1.0 status line, which is rewritten; a Vary value, which is read as text; a
 * Transfer-Encoding other than `chunked` as written) gives undefined, and is read again with text.
 */
export function readCommonResponseHead(bytes: Uint8Array, text: string | undefined, n: number): ResponseHead | undefined {
  const status = ((bytes[9] as number) - 48) * 100 + ((bytes[10] as number) - 48) * 10 + ((bytes[11] as number) - 48);
  const lineEnd = lineEnds[0] as number;
  const http10 = bytes[7] === 48;
  if (http10 && text === undefined) return undefined;

  let contentLength = -1;
  let transferEncoding = '';
  let close = http10;
  let setCookie = false;
  let cacheForbidden = false;
  let varyUnsupported = false;
  let contentEncoded = false;

  // What is forwarded, as parts of the head: from the status line's start to the first dropped field, and so on.
  let parts = 0;
  let partFrom = 0;
  let pos = lineEnd + 2;
  let line = 1;
  while (pos < n) {
    // The scanner checked the line, found its end and knew its name; a field the proxy acts on is its name and a colon.
    const end = lineEnds[line] as number;
    const field = FIELDS[lineFields[line++] as number] as Field;
    let drop = false;
    switch (field) {
      case Field.Other:
        break;
      case Field.ContentLength:
        if (contentLength !== -1) return undefined;
        contentLength = owsDigits(bytes, pos + CONTENT_LENGTH.length + 1, end);
        if (contentLength === -1) return undefined;
        break;
      case Field.TransferEncoding: {
        const value = pos + TRANSFER_ENCODING.length + 1;
        if (transferEncoding !== '' || !owsValueIs(bytes, value, end, CHUNKED)) return undefined;
        if (text !== undefined) transferEncoding = owsTrimmed(bytes, text, value, end);
        else if (bytesAre(bytes, skipOws(bytes, value, end), CHUNKED_BYTES)) transferEncoding = 'chunked';
        else return undefined;
        drop = true;
        break;
      }
      case Field.Connection: {
        const value = pos + CONNECTION.length + 1;
        if (owsValueIs(bytes, value, end, KEEP_ALIVE)) {
          if (http10) close = false;
        } else if (owsValueIs(bytes, value, end, CLOSE)) close = true;
        else return undefined;
        drop = true;
        break;
      }
      case Field.Upgrade:
        return undefined;
      case Field.HopByHop:
      case Field.XRequestId:
        drop = true;
        break;
      case Field.SetCookie:
        setCookie = true;
        break;
      case Field.CacheControl:
        if (containsWord(bytes, pos + CACHE_CONTROL.length + 1, end, NOT_STORED)) cacheForbidden = true;
        break;
      case Field.Vary:
        if (text === undefined) return undefined;
        if (varyIsUnsupported(text.slice(pos + VARY.length + 1, end))) varyUnsupported = true;
        break;
      case Field.ContentEncoding:
        contentEncoded = true;
        break;
    }
    if (drop) {
      if (partFrom < pos) parts = addKeptPart(parts, partFrom, pos);
      partFrom = end + 2;
    }
    pos = end + 2;
  }
  if (partFrom < n) parts = addKeptPart(parts, partFrom, n);
  // More parts than the table holds (63 dropped fields): left to the complete parser.
  if (parts === -1) return undefined;
  // Both framings: the complete parser removes Content-Length and closes.
  if (transferEncoding !== '' && contentLength !== -1) return undefined;
  return {
    status,
    statusLine: text === undefined ? '' : http10 ? `HTTP/1.1${text.slice(8, lineEnd)}\r\n` : text.slice(0, lineEnd + 2),
    lines: text === undefined ? '' : keptLines(text, parts, lineEnd + 2),
    contentLength,
    chunked: transferEncoding !== '',
    transferEncoding,
    close,
    upgrade: '',
    setCookie,
    cacheForbidden,
    varyUnsupported,
    contentEncoded,
    // The status line, rewritten for HTTP/1.0, is then no part of what was read.
    scannedParts: http10 ? 0 : parts,
  };
}

/** Is bytes[at, at + word.length) exactly `word` (letter case included)? */
function bytesAre(bytes: Uint8Array, at: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

/** The field lines of the kept parts (keptParts[0, 2 * parts)) of the head last read, the status line ending at `linesFrom`. */
function keptLines(text: string, parts: number, linesFrom: number): string {
  let lines = text.slice(linesFrom, keptParts[1]);
  for (let p = 1; p < parts; p++) lines += text.slice(keptParts[2 * p], keptParts[2 * p + 1]);
  return lines;
}

/**
 * Fills in the statusLine and lines of a head readCommonResponseHead read without text, from `text` (latin1 text of
 * the bytes it read), while no other head has been scanned. A head that has them is left as it is.
 */
export function spellResponseHead(resp: ResponseHead, text: string): void {
  if (resp.statusLine !== '') return;
  const linesFrom = (lineEnds[0] as number) + 2;
  resp.statusLine = text.slice(0, linesFrom);
  resp.lines = keptLines(text, resp.scannedParts, linesFrom);
}
