/**
 * The request heads clients send nearly always, checked by one WebAssembly pass (head-scanner.ts) and read line by
 * line: no per-line checks, no lower-cased copies of names. Anything it does not handle (malformed heads, and
 * rare valid ones: absolute-form or `*` targets, CONNECT/TRACE, Transfer-Encoding, Upgrade, Connection options
 * other than keep-alive/close, repeated Host or Content-Length, IPv6 literals, HTTP/1.0 without Host) returns
 * undefined, and the complete parser (`parseAnyRequestHead`) answers, with the right status. Whatever this
 * returns, that returns too: tests/head-fast-paths.test.ts compares the two on random heads.
 */
import { isValidRequestId, MAX_CLIENT_HEADER_LINES } from '@edd/config';
import { packedToken } from './field-name';
import { containsWord, owsDigits, owsTrimmed, owsValueIs, skipOws, trimOwsEnd, wordSet } from './field-value';
import {
  addKeptPart,
  fieldKinds,
  HOST_HAS_UPPER,
  hostNameEnd,
  hostRange,
  lineEnds,
  lineFields,
  noteRequestRead,
  requestPathMayBeInternal,
  requestQuery,
  scanRequestHead,
} from './head-scanner';
import { findHostValue, hostNameAt, hostValueAt, keepHostValue } from './host-values';
import type { RequestHead } from './request-head';

/** Request fields the proxy acts on. */
const enum Field {
  Other,
  Host,
  ContentLength,
  Connection,
  /** Dropped and replaced by the gateway's own (hop-by-hop, forwarding fields, deadline). */
  Drop,
  XForwardedFor,
  XRequestId,
  XServiceKey,
  Authorization,
  Cookie,
  Origin,
  CacheControl,
  /** Handled by the complete parser only. */
  Rare,
}

const CACHE_CONTROL = packedToken('cache-control');
const CLOSE = packedToken('close');
const CONNECTION = packedToken('connection');
const CONTENT_LENGTH = packedToken('content-length');
const COOKIE = packedToken('cookie');
const HOST = packedToken('host');
const KEEP_ALIVE = packedToken('keep-alive');
const X_FORWARDED_FOR = packedToken('x-forwarded-for');
const X_REQUEST_ID = packedToken('x-request-id');
/** Request Cache-Control directives that bypass the cache (the complete parser's pattern, as words). */
const NO_CACHE = wordSet('no-cache', 'no-store');

/** The fields the proxy acts on, by the id the scanner gives their name (head-scanner.ts); any other name is Other. */
const FIELDS = fieldKinds({
  authorization: Field.Authorization,
  'cache-control': Field.CacheControl,
  connection: Field.Connection,
  'content-length': Field.ContentLength,
  cookie: Field.Cookie,
  // RFC 7239: we do not generate it, so a client's copy would pass as ours.
  forwarded: Field.Drop,
  host: Field.Host,
  'keep-alive': Field.Drop,
  origin: Field.Origin,
  'proxy-connection': Field.Drop,
  te: Field.Drop,
  'transfer-encoding': Field.Rare,
  upgrade: Field.Rare,
  'x-forwarded-for': Field.XForwardedFor,
  'x-forwarded-host': Field.Drop,
  'x-forwarded-proto': Field.Drop,
  'x-real-ip': Field.Drop,
  'x-request-deadline': Field.Drop,
  'x-request-id': Field.XRequestId,
  'x-service-key': Field.XServiceKey,
});

/** Does the head start with `method` and a space? */
function startsWithMethod(bytes: Uint8Array, method: string): boolean {
  for (let i = 0; i < method.length; i++) if (bytes[i] !== method.charCodeAt(i)) return false;
  return bytes[method.length] === 32;
}

/** The method as a constant string (compared and hashed for free later), or '' when not one proxied here. */
function methodOf(bytes: Uint8Array): string {
  switch (bytes[0]) {
    case 71: // G
      return startsWithMethod(bytes, 'GET') ? 'GET' : '';
    case 72: // H
      return startsWithMethod(bytes, 'HEAD') ? 'HEAD' : '';
    case 80: // P
      if (startsWithMethod(bytes, 'POST')) return 'POST';
      if (startsWithMethod(bytes, 'PUT')) return 'PUT';
      return startsWithMethod(bytes, 'PATCH') ? 'PATCH' : '';
    case 68: // D
      return startsWithMethod(bytes, 'DELETE') ? 'DELETE' : '';
    case 79: // O
      return startsWithMethod(bytes, 'OPTIONS') ? 'OPTIONS' : '';
    default:
      return '';
  }
}

/**
 * The length of the common request head at the start of bytes[0, length), up to and including its last line's
 * CRLF (the empty line follows), or -1 when they do not start with a whole common head (head-scanner.ts: a
 * proxied method is checked by readCommonRequestHead). Whatever follows the empty line (a body) is not read.
 */
export function commonRequestHeadLength(bytes: Uint8Array, length = bytes.length): number {
  return scanRequestHead(bytes, length);
}

/**
 * The Host value bytes[from, to) (`value`, its text) when it is `reg-name[:port]` (port: up to 5 digits): its name
 * lower-cased, without the port (the value itself when that is all it is); undefined for anything else. The scanner
 * checks the bytes, which are the head it scanned last.
 */
function hostOf(value: string, from: number, to: number): string | undefined {
  const shape = hostNameEnd(from, to);
  if (shape === -1) return undefined;
  const end = shape & (HOST_HAS_UPPER - 1);
  const name = end === to ? value : value.slice(0, end - from);
  return shape >= HOST_HAS_UPPER ? name.toLowerCase() : name;
}

/**
 * `text` is latin1 text of `bytes` (the buffer the head was read from) that holds the whole head: its lines up to
 * `n` (just after the last line's CRLF), then the empty line, then possibly the start of a body. Fields are
 * identified on bytes (a fraction of what charCodeAt costs) and values sliced from the string.
 */
export function parseCommonRequestHead(bytes: Uint8Array, text: string, n: number): RequestHead | undefined {
  return bytes.length >= n + 2 && commonRequestHeadLength(bytes, n + 2) === n ? readCommonRequestHead(bytes, text, n) : undefined;
}

/**
 * parseCommonRequestHead once the scanner has taken the head: `n` is what commonRequestHeadLength returned, and no
 * other head has been scanned since (the line ends are read from its table); `text` is latin1 text of `bytes`.
 */
export function readCommonRequestHead(bytes: Uint8Array, text: string, n: number): RequestHead | undefined {
  const method = methodOf(bytes);
  if (method === '') return undefined;
  const targetStart = method.length + 1;
  // The start line ends in ' HTTP/1.x' and its CR.
  const sp2 = (lineEnds[0] as number) - 9;
  const q = requestQuery();
  const http10 = bytes[sp2 + 8] === 48;

  let host = '';
  let hostHeader = '';
  let hasHost = false;
  let contentLength = -1;
  // HTTP/1.0 clients are answered and closed (as the complete parser does).
  let close = http10;
  let forwardedFor = '';
  let requestId = '';
  let credentialed = false;
  let hasOrigin = false;
  let noCache = false;

  let lines = '';
  let keptFrom = sp2 + 11;
  let pos = keptFrom;
  let lineCount = 0;
  // The same as parts of the head (see scannedParts): the start line, then the field lines kept; -1 once too many.
  let parts = addKeptPart(0, 0, sp2 + 9);
  while (pos < n) {
    if (++lineCount > MAX_CLIENT_HEADER_LINES) return undefined;
    // The scanner checked the line, found its end and knew its name; a field the proxy acts on is its name and a colon.
    const end = lineEnds[lineCount] as number;
    let drop = false;
    switch (FIELDS[lineFields[lineCount] as number] as Field) {
      case Field.Other:
        break;
      case Field.Host: {
        if (hasHost) return undefined;
        hasHost = true;
        const a = skipOws(bytes, pos + HOST.length + 1, end);
        const b = trimOwsEnd(bytes, a, end);
        hostRange[0] = a;
        hostRange[1] = b;
        let kept = findHostValue(bytes, a, b);
        if (kept === -1) {
          const value = text.slice(a, b);
          const name = hostOf(value, a, b);
          if (name === undefined) return undefined;
          kept = keepHostValue(bytes, a, b, value, name);
          if (kept === -1) {
            hostHeader = value;
            host = name;
            break;
          }
        }
        hostHeader = hostValueAt(kept);
        host = hostNameAt(kept);
        break;
      }
      case Field.ContentLength:
        if (contentLength !== -1) return undefined;
        contentLength = owsDigits(bytes, pos + CONTENT_LENGTH.length + 1, end);
        if (contentLength === -1) return undefined;
        // Forwarded as one canonical line (heads.ts).
        drop = true;
        break;
      case Field.Connection: {
        const value = pos + CONNECTION.length + 1;
        if (owsValueIs(bytes, value, end, CLOSE)) close = true;
        else if (!owsValueIs(bytes, value, end, KEEP_ALIVE)) return undefined;
        drop = true;
        break;
      }
      case Field.Drop:
        drop = true;
        break;
      case Field.XForwardedFor: {
        const value = owsTrimmed(bytes, text, pos + X_FORWARDED_FOR.length + 1, end);
        forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
        drop = true;
        break;
      }
      case Field.XRequestId: {
        const value = owsTrimmed(bytes, text, pos + X_REQUEST_ID.length + 1, end);
        if (isValidRequestId(value)) requestId = value;
        drop = true;
        break;
      }
      case Field.XServiceKey:
        credentialed = true;
        drop = true;
        break;
      case Field.Authorization:
        credentialed = true;
        break;
      case Field.Cookie:
        if (/(?:^|;)\s*token=/.test(owsTrimmed(bytes, text, pos + COOKIE.length + 1, end))) credentialed = true;
        break;
      case Field.Origin:
        hasOrigin = true;
        break;
      case Field.CacheControl:
        if (containsWord(bytes, pos + CACHE_CONTROL.length + 1, end, NO_CACHE)) noCache = true;
        break;
      case Field.Rare:
        return undefined;
    }
    if (drop) {
      lines += text.slice(keptFrom, pos);
      if (keptFrom < pos) parts = addKeptPart(parts, keptFrom, pos);
      keptFrom = end + 2;
    }
    pos = end + 2;
  }
  if (!hasHost) return undefined;
  lines += text.slice(keptFrom, n);
  if (keptFrom < n) parts = addKeptPart(parts, keptFrom, n);
  const target = text.slice(targetStart, sp2);
  const head: RequestHead = {
    method,
    target,
    path: q === -1 ? target : text.slice(targetStart, q),
    query: q === -1 ? '' : text.slice(q, sp2),
    startLine: text.slice(0, sp2 + 9),
    http10,
    host,
    hostHeader,
    lines,
    contentLength,
    chunked: false,
    close,
    upgrade: '',
    forwardedFor,
    requestId,
    credentialed,
    hasOrigin,
    noCache,
    pathMayBeInternal: requestPathMayBeInternal(),
    scannedParts: parts === -1 ? 0 : parts,
  };
  // Its method, host and path may go into the access log from the bytes (keepLogRequest) until the next scan.
  noteRequestRead(head, method.length, q === -1 ? sp2 : q, host.length);
  return head;
}
