/**
 * The request heads clients send nearly always, checked by one pattern and read line by line: no per-line
 * checks, no lower-cased copies of names. Anything it does not handle (malformed heads, and
 * rare valid ones: absolute-form or `*` targets, CONNECT/TRACE, Transfer-Encoding, Upgrade, Connection options
 * other than keep-alive/close, repeated Host or Content-Length, IPv6 literals, HTTP/1.0 without Host) returns
 * undefined, and the complete parser (`parseAnyRequestHead`) answers, with the right status. Whatever this
 * returns, that returns too: tests/head-fast-paths.test.ts compares the two on random heads.
 */
import { isValidRequestId, MAX_CLIENT_HEADER_LINES } from '@edd/config';
import { sameName } from './field-name';
import { owsDigits, owsTrimmed, owsValueIs, skipOws, trimOwsEnd } from './field-value';
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

/** Identifies a field by length and letters, without a lower-cased copy of its name. */
function fieldOf(bytes: Uint8Array, pos: number, length: number): Field {
  switch (length) {
    case 2:
      return sameName(bytes, pos, 'te') ? Field.Drop : Field.Other;
    case 4:
      return sameName(bytes, pos, 'host') ? Field.Host : Field.Other;
    case 6:
      if (sameName(bytes, pos, 'cookie')) return Field.Cookie;
      return sameName(bytes, pos, 'origin') ? Field.Origin : Field.Other;
    case 7:
      return sameName(bytes, pos, 'upgrade') ? Field.Rare : Field.Other;
    case 9:
      // forwarded: RFC 7239, we do not generate it, so a client's copy would pass as ours.
      return sameName(bytes, pos, 'x-real-ip') || sameName(bytes, pos, 'forwarded') ? Field.Drop : Field.Other;
    case 10:
      if (sameName(bytes, pos, 'connection')) return Field.Connection;
      return sameName(bytes, pos, 'keep-alive') ? Field.Drop : Field.Other;
    case 12:
      return sameName(bytes, pos, 'x-request-id') ? Field.XRequestId : Field.Other;
    case 13:
      if (sameName(bytes, pos, 'authorization')) return Field.Authorization;
      if (sameName(bytes, pos, 'cache-control')) return Field.CacheControl;
      return sameName(bytes, pos, 'x-service-key') ? Field.XServiceKey : Field.Other;
    case 14:
      return sameName(bytes, pos, 'content-length') ? Field.ContentLength : Field.Other;
    case 15:
      return sameName(bytes, pos, 'x-forwarded-for') ? Field.XForwardedFor : Field.Other;
    case 16:
      return sameName(bytes, pos, 'x-forwarded-host') || sameName(bytes, pos, 'proxy-connection') ? Field.Drop : Field.Other;
    case 17:
      if (sameName(bytes, pos, 'transfer-encoding')) return Field.Rare;
      return sameName(bytes, pos, 'x-forwarded-proto') ? Field.Drop : Field.Other;
    case 18:
      return sameName(bytes, pos, 'x-request-deadline') ? Field.Drop : Field.Other;
    default:
      return Field.Other;
  }
}

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
 * A whole common request head: a proxied method, an origin-form target (visible ASCII without '#', RFC 9112 §3.2),
 * HTTP/1.1 or 1.0, then lines of a token, ':' and field content (HTAB, SP, visible ASCII, obs-text: no other control
 * byte, RFC 9110 §5.5). One compiled regular expression checks the bytes (about half what a JavaScript byte loop
 * costs); the loop below finds each colon and line end with indexOf.
 */
const COMMON_REQUEST =
  /^(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \/[\x21\x22\x24-\x7e]* HTTP\/1\.[01]\r\n(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n)*$/;

// RFC 3986 §3.2.2 reg-name characters (the complete parser's HOST pattern without its IP-literal branch).
const REG_NAME = new Uint8Array(256);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~!$&'()*+,;=%-") REG_NAME[c.charCodeAt(0)] = 1;

/**
 * The Host value bytes[from, to) when it is `reg-name[:port]` (port: up to 5 digits): its name lower-cased, without
 * the port; undefined for anything else.
 */
function hostOf(bytes: Uint8Array, text: string, from: number, to: number): string | undefined {
  let upper = false;
  let i = from;
  for (; i < to; i++) {
    const c = bytes[i] as number;
    if (c === 58) break;
    if (REG_NAME[c] !== 1) return undefined;
    if (c >= 65 && c <= 90) upper = true;
  }
  if (i < to) {
    if (to - i - 1 > 5) return undefined;
    for (let j = i + 1; j < to; j++) {
      const d = bytes[j] as number;
      if (d < 48 || d > 57) return undefined;
    }
  }
  const name = text.slice(from, i);
  return upper ? name.toLowerCase() : name;
}

/**
 * `text` is the head up to and including its last line's CRLF, latin1, and `bytes` the buffer it was read from:
 * fields are identified on bytes (a fraction of what charCodeAt costs) and values sliced from the string.
 */
export function parseCommonRequestHead(bytes: Uint8Array, text: string): RequestHead | undefined {
  const n = text.length;
  if (bytes.length < n || !COMMON_REQUEST.test(text)) return undefined;
  const method = methodOf(bytes);
  if (method === '') return undefined;
  const targetStart = method.length + 1;
  const sp2 = text.indexOf(' ', targetStart);
  let q = text.indexOf('?', targetStart);
  if (q > sp2) q = -1;
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
  while (pos < n) {
    if (++lineCount > MAX_CLIENT_HEADER_LINES) return undefined;
    // The pattern checked the line: the first ':' ends the name, the first CR the value.
    const colon = text.indexOf(':', pos);
    const end = text.indexOf('\r', colon);
    let drop = false;
    switch (fieldOf(bytes, pos, colon - pos)) {
      case Field.Other:
        break;
      case Field.Host: {
        if (hasHost) return undefined;
        hasHost = true;
        const a = skipOws(bytes, colon + 1, end);
        const b = trimOwsEnd(bytes, a, end);
        hostHeader = text.slice(a, b);
        const h = hostOf(bytes, text, a, b);
        if (h === undefined) return undefined;
        host = h;
        break;
      }
      case Field.ContentLength:
        if (contentLength !== -1) return undefined;
        contentLength = owsDigits(bytes, colon + 1, end);
        if (contentLength === -1) return undefined;
        // Forwarded as one canonical line (heads.ts).
        drop = true;
        break;
      case Field.Connection:
        if (owsValueIs(bytes, colon + 1, end, 'close')) close = true;
        else if (!owsValueIs(bytes, colon + 1, end, 'keep-alive')) return undefined;
        drop = true;
        break;
      case Field.Drop:
        drop = true;
        break;
      case Field.XForwardedFor: {
        const value = owsTrimmed(bytes, text, colon + 1, end);
        forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
        drop = true;
        break;
      }
      case Field.XRequestId: {
        const value = owsTrimmed(bytes, text, colon + 1, end);
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
        if (/(?:^|;)\s*token=/.test(owsTrimmed(bytes, text, colon + 1, end))) credentialed = true;
        break;
      case Field.Origin:
        hasOrigin = true;
        break;
      case Field.CacheControl:
        if (/no-cache|no-store/i.test(owsTrimmed(bytes, text, colon + 1, end))) noCache = true;
        break;
      case Field.Rare:
        return undefined;
    }
    if (drop) {
      lines += text.slice(keptFrom, pos);
      keptFrom = end + 2;
    }
    pos = end + 2;
  }
  if (!hasHost) return undefined;
  lines += text.slice(keptFrom);
  const target = text.slice(targetStart, sp2);
  return {
    method,
    target,
    path: q === -1 ? target : text.slice(targetStart, q),
    query: q === -1 ? '' : text.slice(q, sp2),
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
  };
}
