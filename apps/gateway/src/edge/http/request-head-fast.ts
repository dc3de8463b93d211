/**
 * The request heads clients send nearly always, read in one pass of character comparisons: no regex over the
 * head, no per-line indexOf, no lower-cased copies of names. Anything it does not handle (malformed heads, and
 * rare valid ones: absolute-form or `*` targets, CONNECT/TRACE, Transfer-Encoding, Upgrade, Connection options
 * other than keep-alive/close, repeated Host or Content-Length, IPv6 literals, HTTP/1.0 without Host) returns
 * undefined, and the complete parser (`parseAnyRequestHead`) answers, with the right status. Whatever this
 * returns, that returns too: tests/head-fast-paths.test.ts compares the two on random heads.
 */
import { isValidRequestId, MAX_CLIENT_HEADER_LINES } from '@edd/config';
import { sameName, tokenEnd } from './field-name';
import { owsDigits, owsValueIs, withoutOws } from './field-value';
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
function fieldOf(text: string, pos: number, length: number): Field {
  switch (length) {
    case 2:
      return sameName(text, pos, 'te') ? Field.Drop : Field.Other;
    case 4:
      return sameName(text, pos, 'host') ? Field.Host : Field.Other;
    case 6:
      if (sameName(text, pos, 'cookie')) return Field.Cookie;
      return sameName(text, pos, 'origin') ? Field.Origin : Field.Other;
    case 7:
      return sameName(text, pos, 'upgrade') ? Field.Rare : Field.Other;
    case 9:
      // forwarded: RFC 7239, we do not generate it, so a client's copy would pass as ours.
      return sameName(text, pos, 'x-real-ip') || sameName(text, pos, 'forwarded') ? Field.Drop : Field.Other;
    case 10:
      if (sameName(text, pos, 'connection')) return Field.Connection;
      return sameName(text, pos, 'keep-alive') ? Field.Drop : Field.Other;
    case 12:
      return sameName(text, pos, 'x-request-id') ? Field.XRequestId : Field.Other;
    case 13:
      if (sameName(text, pos, 'authorization')) return Field.Authorization;
      if (sameName(text, pos, 'cache-control')) return Field.CacheControl;
      return sameName(text, pos, 'x-service-key') ? Field.XServiceKey : Field.Other;
    case 14:
      return sameName(text, pos, 'content-length') ? Field.ContentLength : Field.Other;
    case 15:
      return sameName(text, pos, 'x-forwarded-for') ? Field.XForwardedFor : Field.Other;
    case 16:
      return sameName(text, pos, 'x-forwarded-host') || sameName(text, pos, 'proxy-connection') ? Field.Drop : Field.Other;
    case 17:
      if (sameName(text, pos, 'transfer-encoding')) return Field.Rare;
      return sameName(text, pos, 'x-forwarded-proto') ? Field.Drop : Field.Other;
    case 18:
      return sameName(text, pos, 'x-request-deadline') ? Field.Drop : Field.Other;
    default:
      return Field.Other;
  }
}

/** Does text start with `method` and a space? */
function startsWithMethod(text: string, method: string): boolean {
  for (let i = 0; i < method.length; i++) if (text.charCodeAt(i) !== method.charCodeAt(i)) return false;
  return text.charCodeAt(method.length) === 32;
}

/** The method as a constant string (compared and hashed for free later), or '' when not one proxied here. */
function methodOf(text: string): string {
  switch (text.charCodeAt(0)) {
    case 71: // G
      return startsWithMethod(text, 'GET') ? 'GET' : '';
    case 72: // H
      return startsWithMethod(text, 'HEAD') ? 'HEAD' : '';
    case 80: // P
      if (startsWithMethod(text, 'POST')) return 'POST';
      if (startsWithMethod(text, 'PUT')) return 'PUT';
      return startsWithMethod(text, 'PATCH') ? 'PATCH' : '';
    case 68: // D
      return startsWithMethod(text, 'DELETE') ? 'DELETE' : '';
    case 79: // O
      return startsWithMethod(text, 'OPTIONS') ? 'OPTIONS' : '';
    default:
      return '';
  }
}

// RFC 3986 §3.2.2 reg-name characters (the complete parser's HOST pattern without its IP-literal branch).
const REG_NAME = new Uint8Array(256);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~!$&'()*+,;=%-") REG_NAME[c.charCodeAt(0)] = 1;

/** Host value `reg-name[:port]` (port: up to 5 digits) lower-cased without its port, or undefined for anything else. */
function hostOf(value: string): string | undefined {
  const n = value.length;
  let upper = false;
  let i = 0;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 58) break;
    if (REG_NAME[c] !== 1) return undefined;
    if (c >= 65 && c <= 90) upper = true;
  }
  if (i < n) {
    if (n - i - 1 > 5) return undefined;
    for (let j = i + 1; j < n; j++) {
      const d = value.charCodeAt(j);
      if (d < 48 || d > 57) return undefined;
    }
  }
  const name = i === n ? value : value.slice(0, i);
  return upper ? name.toLowerCase() : name;
}

/** `text` is the head up to and including its last line's CRLF. */
export function parseCommonRequestHead(text: string): RequestHead | undefined {
  const n = text.length;
  if (n < 16 || text.charCodeAt(n - 2) !== 13 || text.charCodeAt(n - 1) !== 10) return undefined;
  const method = methodOf(text);
  if (method === '') return undefined;
  // Origin-form target: "/" then visible ASCII without "#" (RFC 9112 §3.2).
  let i = method.length + 1;
  if (text.charCodeAt(i) !== 47) return undefined;
  let q = -1;
  let c = text.charCodeAt(++i);
  while (c !== 32) {
    if (c < 0x21 || c > 0x7e || c === 0x23) return undefined;
    if (c === 63 && q === -1) q = i;
    c = text.charCodeAt(++i);
  }
  const targetStart = method.length + 1;
  const sp2 = i;
  // "HTTP/1.1" or "HTTP/1.0", then CRLF
  const minor = text.charCodeAt(sp2 + 8);
  if (!text.startsWith('HTTP/1.', sp2 + 1) || (minor !== 49 && minor !== 48) || text.charCodeAt(sp2 + 9) !== 13 || text.charCodeAt(sp2 + 10) !== 10) {
    return undefined;
  }
  const http10 = minor === 48;

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
    const colon = tokenEnd(text, pos);
    if (colon === pos || text.charCodeAt(colon) !== 58) return undefined;
    // The value: no control bytes but HTAB (RFC 9110 §5.5), no bare CR or LF, up to CRLF.
    i = colon + 1;
    c = text.charCodeAt(i);
    while (c !== 13) {
      if ((c < 32 && c !== 9) || c === 127) return undefined;
      c = text.charCodeAt(++i);
    }
    if (text.charCodeAt(i + 1) !== 10) return undefined;
    const end = i;
    let drop = false;
    switch (fieldOf(text, pos, colon - pos)) {
      case Field.Other:
        break;
      case Field.Host: {
        if (hasHost) return undefined;
        hasHost = true;
        hostHeader = withoutOws(text, colon + 1, end);
        const h = hostOf(hostHeader);
        if (h === undefined) return undefined;
        host = h;
        break;
      }
      case Field.ContentLength:
        if (contentLength !== -1) return undefined;
        contentLength = owsDigits(text, colon + 1, end);
        if (contentLength === -1) return undefined;
        // Forwarded as one canonical line (heads.ts).
        drop = true;
        break;
      case Field.Connection:
        if (owsValueIs(text, colon + 1, end, 'close')) close = true;
        else if (!owsValueIs(text, colon + 1, end, 'keep-alive')) return undefined;
        drop = true;
        break;
      case Field.Drop:
        drop = true;
        break;
      case Field.XForwardedFor: {
        const value = withoutOws(text, colon + 1, end);
        forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
        drop = true;
        break;
      }
      case Field.XRequestId: {
        const value = withoutOws(text, colon + 1, end);
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
        if (/(?:^|;)\s*token=/.test(withoutOws(text, colon + 1, end))) credentialed = true;
        break;
      case Field.Origin:
        hasOrigin = true;
        break;
      case Field.CacheControl:
        if (/no-cache|no-store/i.test(withoutOws(text, colon + 1, end))) noCache = true;
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
