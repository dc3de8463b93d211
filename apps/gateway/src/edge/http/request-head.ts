/**
 * A deliberately small HTTP/1.1 request head parser (RFC 9112 §3, §5, §6). It works on the head as one
 * latin1 string and produces the header block to forward in the same pass, so no per-header objects exist.
 */
import { isValidRequestId, MAX_CLIENT_HEADER_LINES } from '@edd/config';
import { isToken } from './field-name';
import { withoutOws } from './field-value';
import { latin1Slice } from './buffer-latin1';
import { parseCommonRequestHead } from './request-head-fast';
import { removeFields, removeListedFields } from './hop-by-hop';
import { pathMayBeInternal } from './internal-path';

export interface RequestHead {
  method: string;
  /** Request target as sent (origin-form after absolute-form is reduced). */
  target: string;
  /** Target without the query; what routing and the cache key use. */
  path: string;
  /** '' or '?...' */
  query: string;
  /**
   * `${method} ${target} HTTP/1.x`: the start line sent upstream when the target goes unchanged (the common head's
   * is a slice of what was read, one piece where the joined line would be three or four).
   */
  startLine: string;
  http10: boolean;
  /** Lowercased host without port. */
  host: string;
  /** Host header value as received (X-Forwarded-Host). */
  hostHeader: string;
  /**
   * Header lines to forward ("Name: value\r\n" each): hop-by-hop, Forwarded, X-Forwarded-* / X-Real-IP / X-Request-ID
   * and Content-Length removed (the proxy writes its own canonical Content-Length).
   */
  lines: string;
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  /** The client wants the connection closed after this exchange. */
  close: boolean;
  /** Upgrade header value when it is `websocket` and Connection lists "upgrade", else ''. */
  upgrade: string;
  forwardedFor: string;
  requestId: string;
  /** Authorization, X-Service-Key or a `token` cookie: never served from or stored in the cache. */
  credentialed: boolean;
  /** Cross-origin request (Origin header): its response carries per-origin CORS headers. */
  hasOrigin: boolean;
  /** Request Cache-Control asks not to use a stored response. */
  noCache: boolean;
  /** pathMayBeInternal(path) (internal-path.ts): false lets the route check skip isInternalPath. */
  pathMayBeInternal: boolean;
  /**
   * For a head read from the scanner's tables (readCommonRequestHead), the number of its kept parts in head-scanner.ts
   * keptParts (its start line, then the field lines forwarded as they are) and its Host value in hostRange, from which
   * emitRequest builds the head sent upstream while no other head has been scanned; else 0.
   */
  scannedParts: number;
}

// RFC 9112 §3.2: visible ASCII without '#' (a fragment never travels; routing must see the path the upstream sees).
const TARGET = /^[\x21\x22\x24-\x7e]+$/;
const DIGITS = /^\d{1,15}$/;
// Every C0 control but HTAB, CR and LF (bare CR/LF are checked per line), and DEL.
// eslint-disable-next-line no-control-regex -- control bytes are exactly what it looks for
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// RFC 9110 §7.2 / RFC 3986 §3.2.2: IP-literal or reg-name, optional port; no '/', '@', space (open redirects, cache keys).
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]*)(?::\d{0,5})?$/;
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE']);

export type ParseError = 400 | 405 | 431 | 501;

function hostWithoutPort(value: string): string {
  const v = value.toLowerCase();
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    return close === -1 ? v : v.slice(0, close + 1);
  }
  const colon = v.indexOf(':');
  return colon === -1 ? v : v.slice(0, colon);
}

/**
 * Parses `buf[0, headEnd)` where headEnd is the index of the blank line's "\r\n\r\n", trying the fast path first.
 * Returns the head or the status to answer with (400 malformed, 431 more header lines than a service keeps, 501
 * unsupported transfer coding).
 */
export function parseRequestHead(buf: Buffer, headEnd: number): RequestHead | ParseError {
  const text = latin1Slice(buf, 0, headEnd + 4);
  return parseCommonRequestHead(buf, text, headEnd + 2) ?? parseAnyRequestHead(text.slice(0, headEnd + 2));
}

/** The complete parser: the answer for every head, the common ones included (the fuzz test holds the two together). */
export function parseAnyRequestHead(text: string): RequestHead | ParseError {
  // Control bytes (NUL, VT, FF, ...) are no field content (RFC 9110 §5.5): an upstream would refuse or read them otherwise.
  if (CONTROL.test(text)) return 400;
  const lineEnd = text.indexOf('\r\n');
  const sp1 = text.indexOf(' ');
  const sp2 = sp1 === -1 ? -1 : text.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 === -1 || sp2 > lineEnd) return 400;
  const method = text.slice(0, sp1);
  let target = text.slice(sp1 + 1, sp2);
  const version = text.slice(sp2 + 1, lineEnd);
  if (!METHODS.has(method) || !TARGET.test(target)) return 400;
  // Not a forward proxy (CONNECT), and TRACE would echo credentials back to a script (RFC 9110 §9.3.6, §9.3.8).
  if (method === 'CONNECT' || method === 'TRACE') return 405;
  const http10 = version === 'HTTP/1.0';
  if (!http10 && version !== 'HTTP/1.1') return 400;

  let host = '';
  let hostHeader = '';
  let hostCount = 0;
  let contentLength = -1;
  let transferEncoding = '';
  // HTTP/1.0 clients are answered and closed: no chunked framing and no keep-alive guesswork for them.
  let close = http10;
  let upgradeRequested = false;
  let upgrade = '';
  let forwardedFor = '';
  let requestId = '';
  let credentialed = false;
  let hasOrigin = false;
  let noCache = false;
  let listed: string[] | undefined;

  let lines = '';
  let keptFrom = lineEnd + 2;
  let pos = keptFrom;
  let lineCount = 0;
  while (pos < text.length) {
    // A service drops lines beyond its limit without a word: the gateway's own fields would be the ones lost.
    if (++lineCount > MAX_CLIENT_HEADER_LINES) return 431;
    const end = text.indexOf('\r\n', pos);
    // A bare LF or CR inside a line is request-smuggling material (RFC 9112 §2.2).
    if (text.indexOf('\n', pos) !== end + 1 || text.indexOf('\r', pos) !== end) return 400;
    const colon = text.indexOf(':', pos);
    if (colon === -1 || colon > end) return 400;
    // No whitespace around the name, no obs-fold (RFC 9112 §5.1, §5.2).
    if (!isToken(text, pos, colon)) return 400;
    const name = text.slice(pos, colon);
    let drop = false;
    const len = name.length;
    // Only names of these lengths are ever handled below (te … x-request-deadline): the rest skip the lowercasing.
    if (len === 2 || len === 4 || len === 6 || len === 7 || (len >= 9 && len <= 18)) {
      const lower = name.toLowerCase();
      const value = withoutOws(text, colon + 1, end);
      switch (lower) {
        case 'host':
          hostCount++;
          hostHeader = value;
          host = hostWithoutPort(value);
          break;
        case 'content-length': {
          if (!DIGITS.test(value)) return 400;
          const n = Number(value);
          if (contentLength !== -1 && contentLength !== n) return 400;
          contentLength = n;
          // Forwarded as one canonical line (heads.ts): duplicates and OWS are read differently by upstreams.
          drop = true;
          break;
        }
        case 'transfer-encoding':
          transferEncoding = transferEncoding ? `${transferEncoding}, ${value}` : value;
          drop = true;
          break;
        case 'connection':
          for (const raw of value.split(',')) {
            const token = raw.trim().toLowerCase();
            if (token === 'close') close = true;
            else if (token === 'upgrade') upgradeRequested = true;
            else if (token) (listed ??= []).push(token);
          }
          drop = true;
          break;
        case 'upgrade':
          upgrade = value;
          drop = true;
          break;
        case 'keep-alive':
        case 'proxy-connection':
        case 'te':
        case 'x-forwarded-proto':
        case 'x-forwarded-host':
        case 'x-real-ip':
        case 'forwarded': // RFC 7239: we do not generate it, so a client's copy would pass as ours
          drop = true;
          break;
        case 'x-forwarded-for':
          forwardedFor = forwardedFor ? `${forwardedFor}, ${value}` : value;
          drop = true;
          break;
        case 'x-request-deadline': // only the gateway says when it stops waiting
          drop = true;
          break;
        case 'x-request-id':
          // The services' rule: an id they would replace must be replaced here, or log lines stop matching.
          if (isValidRequestId(value)) requestId = value;
          drop = true;
          break;
        case 'x-service-key': // a service credential: internal callers reach services directly, never through here
          credentialed = true;
          drop = true;
          break;
        case 'authorization':
          credentialed = true;
          break;
        case 'cookie':
          if (/(?:^|;)\s*token=/.test(value)) credentialed = true;
          break;
        case 'origin':
          hasOrigin = true;
          break;
        case 'cache-control':
          if (/no-cache|no-store/i.test(value)) noCache = true;
          break;
      }
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
    // RFC 9112 §6.3: both framings present is a smuggling attempt; the last coding must be chunked.
    if (contentLength !== -1) return 400;
    const codings = transferEncoding.toLowerCase().split(',');
    if (codings[codings.length - 1]?.trim() !== 'chunked') return http10 ? 400 : 501;
    if (codings.length > 1) return 501;
    chunked = true;
  }
  if (hostCount > 1 || (hostCount === 0 && !http10)) return 400;

  // Absolute-form (RFC 9112 §3.2.2): the authority replaces Host.
  if (target.charCodeAt(0) !== 47 /* / */) {
    const m = /^https?:\/\/([^/?#]+)(.*)$/i.exec(target);
    if (m) {
      // A Host line is added when the client sent none (HTTP/1.0): it must fit the line budget too.
      if (hostCount === 0 && lineCount >= MAX_CLIENT_HEADER_LINES) return 431;
      hostHeader = m[1] ?? '';
      host = hostWithoutPort(hostHeader);
      // The upstream must see the host we routed by, not the Host field the authority replaced.
      lines = `Host: ${hostHeader}\r\n${removeFields(lines, ['host'])}`;
      target = m[2] || '/';
      if (target.charCodeAt(0) !== 47) target = `/${target}`;
    } else if (!(target === '*' && method === 'OPTIONS')) return 400;
  }
  if (!HOST.test(hostHeader)) return 400;
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  return {
    method,
    target,
    path,
    query: q === -1 ? '' : target.slice(q),
    startLine: `${method} ${target} ${version}`,
    http10,
    host,
    hostHeader,
    lines,
    contentLength,
    chunked,
    close,
    // Only WebSocket: an h2c (or other) tunnel would carry requests the gateway never routes or sees.
    upgrade: upgradeRequested && upgrade.toLowerCase() === 'websocket' ? upgrade : '',
    forwardedFor,
    requestId,
    credentialed,
    hasOrigin,
    noCache,
    pathMayBeInternal: pathMayBeInternal(path),
    scannedParts: 0,
  };
}
