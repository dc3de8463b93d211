import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionForwarding, emitUpstreamHead, upstreamHeadEmittable, upstreamRequestHead } from '../http/heads';
import { parseAnyRequestHead, parseRequestHead, type RequestHead } from '../http/request-head';
import { mintedRequestId } from '../http/request-id';
import { parseCommonRequestHead } from '../http/request-head-fast';
import {
  commonResponseHeadLength,
  parseAnyResponseHead,
  parseCommonResponseHead,
  parseResponseHead,
  readCommonResponseHead,
  spellResponseHead,
  type ResponseHead,
} from '../http/response-head';
import { hostRange, keepLogRequest, keptParts } from '../http/head-scanner';
import { acquireLogSlot, releaseLogSlot } from '../http/log-slots';
import { AccessLog } from '../access-log';
import { raw, startRawUpstream, startTestEdge, type TestEdge } from './harness';
import { FUZZ_SEED, fuzzRuns, int, mutate, pick, seededRandom, TRICKY_BYTES, type Rand } from './seeded-random';

/**
 * The head parsers' fast paths (request-head-fast.ts, parseCommonResponseHead) must answer exactly as the complete
 * parsers whenever they answer at all, and leave everything else to them. Seeded random heads (`EDGE_FUZZ_SEED`
 * replays a failure), then the same heads through the edge whole and split into pieces.
 */
const SEED = FUZZ_SEED;
const RUNS = fuzzRuns(50_000);
// Plus a control byte, a non-ASCII byte and the bytes that end or start a path's parts.
const TRICKY = [...TRICKY_BYTES, '\x01', '\xe9', '#', '?', '['];

const OWS = ['', ' ', '\t', '  '];

function randomRequest(r: Rand): string {
  const lines: string[] = [];
  if (r() < 0.95)
    lines.push(
      `${pick(r, ['Host', 'host', 'HOST'])}:${pick(r, OWS)}${pick(r, ['cloud.localhost', 'Cloud.LocalHost:8080', 'a:', '[::1]:80', 'x.y:123456', '', 'a b', 'a@b'])}${pick(r, OWS)}`,
    );
  const n = int(r, 7);
  for (let i = 0; i < n; i++) {
    lines.push(
      pick(r, [
        `Content-Length:${pick(r, OWS)}${int(r, 30)}${pick(r, OWS)}`,
        'Transfer-Encoding: chunked',
        `Connection: ${pick(r, ['keep-alive', 'close', 'Close', 'Keep-Alive', 'upgrade', 'keep-alive, x-hop', '', 'closed'])}`,
        'Upgrade: websocket',
        'Keep-Alive: 5',
        `X-Request-ID: ${pick(r, ['abc-1', 'a/b', 'x'.repeat(130), 'id.2:3'])}`,
        `X-Forwarded-For: ${pick(r, ['6.6.6.6', '1.1.1.1, 2.2.2.2'])}`,
        'X-Forwarded-Proto: https',
        'X-Forwarded-Host: evil',
        'X-Real-IP: 6.6.6.6',
        'Forwarded: for=1.2.3.4',
        'X-Request-Deadline: 1',
        'X-Service-Key: k',
        'Authorization: Bearer t',
        `Cookie: ${pick(r, ['a=1', 'a=1; token=t', 'token=x'])}`,
        'Origin: https://x',
        `Cache-Control: ${pick(r, ['no-cache', 'max-age=0', 'NO-STORE'])}`,
        'TE: trailers',
        'Proxy-Connection: keep-alive',
        'User-Agent: Mozilla/5.0 (X11; Linux x86_64) \xe9',
        'Accept: */*',
        'X-Hop: 1',
      ]),
    );
  }
  if (r() < 0.01) for (let i = 0; i < 95; i++) lines.push(`X-Pad-${i}: p`);
  const method = pick(r, [
    'GET',
    'GET',
    'GET',
    'GET',
    'POST',
    'PUT',
    'DELETE',
    'HEAD',
    'OPTIONS',
    'PATCH',
    'CONNECT',
    'TRACE',
    'get',
    'GETX',
  ]);
  const target = pick(r, [
    '/',
    '/',
    '/a?b=c',
    '/x/y?',
    '/p#f',
    'http://cloud.localhost/z',
    '*',
    'x',
    '/a?b?c',
    // Paths the access log must escape, one at the edge of what a log slot holds, one past it (keepLogRequest).
    '/a"b',
    '/a\\b?"',
    `/${'p'.repeat(150)}`,
    `/${'p'.repeat(200)}?q`,
    '/%41/B.c~!$&()*+,;=:@',
    // What the scanner flags for the internal-path check (pathMayBeInternal), each beside a near miss.
    '/internal',
    '/INTERNAL/x',
    '/Internal?q',
    '/internalx',
    '/interna',
    '/x/internal',
    '/a//b',
    '/a/./b',
    '/a/.',
    '/a.b/c',
    '/a?//.%',
    '/a\\b',
    '//',
  ]);
  const version = pick(r, ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0']);
  return `${method} ${target} ${version}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`;
}

function randomResponse(r: Rand): string {
  const lines: string[] = [];
  const n = int(r, 9);
  for (let i = 0; i < n; i++) {
    lines.push(
      pick(r, [
        `Content-Length:${pick(r, OWS)}${int(r, 30)}${pick(r, OWS)}`,
        'Content-Length: 5',
        `Transfer-Encoding: ${pick(r, ['chunked', 'Chunked', 'gzip, chunked', 'gzip'])}`,
        `Connection: ${pick(r, ['keep-alive', 'close', 'Keep-Alive', 'x-hop', 'upgrade'])}`,
        'Upgrade: websocket',
        'Keep-Alive: timeout=5',
        'X-Request-ID: up',
        'Set-Cookie: a=b',
        `Cache-Control: ${pick(r, ['no-store', 'public, max-age=60', 'Private'])}`,
        `Vary: ${pick(r, ['Origin', 'Accept-Encoding, Origin', 'Cookie', ''])}`,
        'Content-Encoding: gzip',
        'Content-Type: text/plain',
        'Date: Wed, 02 Dec 2026 17:00:00 GMT',
        'X-Hop: 1',
        'TE: x',
      ]),
    );
  }
  const status = pick(r, ['200 OK', '204 No Content', '101 Switching Protocols', '404 Not Found', '200', '1e2 X', '099 Y', '200 \x01ok']);
  const version = pick(r, ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/1.9', 'HTTP/2.0']);
  return `${version} ${status}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`;
}

/** The head as the complete parsers get it: up to and including its last line's CRLF (undefined: no complete head). */
function headText(input: string): string | undefined {
  const end = input.indexOf('\r\n\r\n');
  return end === -1 ? undefined : input.slice(0, end + 2);
}

/** What may follow a head in the same read: nothing, a body, the next pipelined request. */
const AFTER_HEAD = ['', 'hello', '\r\n', 'X: y\r\n\r\n', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'];

/** The fast paths get the whole read: the head's lines up to `head.length`, the empty line, and what follows. */
const FORWARDING = connectionForwarding('203.0.113.7', false);

/** Two access logs: the first made owns the scanner's batch region and writes kept lines there, the other strings. */
const keptLines: Uint8Array[] = [];
const stringLines: Uint8Array[] = [];
let keptLog: AccessLog;
let stringLog: AccessLog;

/**
 * The access log line of `parsed`, kept in a log slot from its head's bytes and written by the scanner, is byte for
 * byte the line written from its strings; only a path that needs escaping or does not fit a slot is not kept.
 */
function checkKeptLogLine(parsed: RequestHead, input: string): void {
  const slot = acquireLogSlot();
  try {
    const kept = keepLogRequest(slot, parsed);
    const fits = parsed.host.length + parsed.method.length + 1 + parsed.path.length <= 205;
    expect(kept, input).toBe(fits && !/["\\]/.test(parsed.path));
    if (!kept) return;
    const n = input.length;
    const number = (n * 7919) % 1e9;
    const record = {
      route: n % 3 === 0 ? `${parsed.host}/` : 'r\u00e9"\u0001',
      status: 200 + (n % 4),
      bytes: n * n * n,
      hundredths: [0, 5, 50, 12, 100, 123_456, n][n % 7] as number,
      client: n % 2 === 0 ? '127.0.0.1' : '::1',
      cacheHit: n % 5 === 0,
      atMs: 1_733_000_000_000 + n * 997.25,
    };
    const { route, status, bytes, hundredths, client, cacheHit, atMs } = record;
    expect(keptLog.writeKept(slot, number, route, status, bytes, hundredths, client, cacheHit, atMs), input).toBe(true);
    const requestId = mintedRequestId(number);
    stringLog.write({ requestId, method: parsed.method, host: parsed.host, path: parsed.path, durationMs: hundredths / 100, ...record });
    keptLog.flush();
    stringLog.flush();
    expect(Buffer.from(keptLines.pop() ?? []).toString('utf8'), input).toBe(Buffer.from(stringLines.pop() ?? []).toString('utf8'));
  } finally {
    releaseLogSlot(slot);
  }
}

/**
 * The fast request parser's answer without scannedParts, after checking them: the kept parts it left in the
 * scanner's tables are its start line and the lines it forwards, its Host value is hostRange, and the head emitted
 * upstream from them is byte for byte the string heads.ts builds; so is its access log line (checkKeptLogLine).
 */
function fastRequest(input: string, head: string): Omit<RequestHead, 'scannedParts'> | undefined {
  const parsed = parseCommonRequestHead(Buffer.from(input, 'latin1'), input, head.length);
  if (parsed === undefined) return undefined;
  const { scannedParts, ...rest } = parsed;
  expect(scannedParts, input).toBeGreaterThan(0);
  let lines = '';
  for (let p = 1; p < scannedParts; p++) lines += input.slice(keptParts[2 * p], keptParts[2 * p + 1]);
  expect(input.slice(keptParts[0], keptParts[1]), input).toBe(rest.startLine);
  expect(lines, input).toBe(rest.lines);
  expect(input.slice(hostRange[0], hostRange[1]), input).toBe(rest.hostHeader);
  const number = (input.length * 7919) % 1e9;
  if (upstreamHeadEmittable(parsed, parsed.target, number, FORWARDING)) {
    const deadline = 1_733_000_000_000 + input.length;
    const emitted = emitUpstreamHead(parsed, number, FORWARDING, deadline).toString('latin1');
    expect(emitted, input).toBe(upstreamRequestHead(parsed, parsed.target, mintedRequestId(number), FORWARDING, deadline));
  }
  checkKeptLogLine(parsed, input);
  return rest;
}

/** The complete parser's answer without scannedParts (always 0 there), to compare with fastRequest's. */
function anyRequest(text: string): Omit<RequestHead, 'scannedParts'> | number {
  const parsed = parseAnyRequestHead(text);
  if (typeof parsed === 'number') return parsed;
  const { scannedParts, ...rest } = parsed;
  expect(scannedParts).toBe(0);
  return rest;
}
/**
 * The fast response parser's answer without scannedParts, after checking them: the kept parts it left in the scanner's
 * table are the status line and the lines it forwards, byte for byte (what emitResponse builds the client's head from),
 * and only a rewritten (HTTP/1.0) status line leaves none.
 */
function fastResponse(input: string, head: string): Omit<ResponseHead, 'scannedParts'> | undefined {
  const parsed = parseCommonResponseHead(Buffer.from(input, 'latin1'), input, head.length);
  if (parsed === undefined) return undefined;
  const { scannedParts, ...rest } = parsed;
  let kept = '';
  for (let p = 0; p < scannedParts; p++) kept += input.slice(keptParts[2 * p], keptParts[2 * p + 1]);
  expect(scannedParts === 0 ? input.startsWith('HTTP/1.0') : kept === rest.statusLine + rest.lines, input).toBe(true);
  // Read from its bytes alone (as the edge reads a response it may emit) and spelled out after: the same head, or
  // undefined for what only text can read (an HTTP/1.0 status line, Vary, Transfer-Encoding not written `chunked`).
  const bytes = Buffer.from(input, 'latin1');
  expect(commonResponseHeadLength(bytes)).toBe(head.length);
  const textless = readCommonResponseHead(bytes, undefined, head.length);
  if (textless === undefined) {
    const codings = /\r\ntransfer-encoding:([^\r]*)/i.exec(head)?.[1]?.trim();
    expect(/^HTTP\/1\.0|\r\nvary:/i.test(head) || (codings !== undefined && codings !== 'chunked'), input).toBe(true);
  } else {
    expect(textless.statusLine + textless.lines).toBe('');
    spellResponseHead(textless, input);
    expect(textless, input).toEqual(parsed);
  }
  return rest;
}

/** The complete parser's answer without scannedParts (always 0 there), to compare with fastResponse's. */
function anyResponse(text: string): Omit<ResponseHead, 'scannedParts'> | undefined {
  const parsed = parseAnyResponseHead(Buffer.from(text, 'latin1'), text);
  if (parsed === undefined) return undefined;
  const { scannedParts, ...rest } = parsed;
  expect(scannedParts).toBe(0);
  return rest;
}

describe(`head parser fast paths (EDGE_FUZZ_SEED=${SEED})`, () => {
  beforeAll(() => {
    keptLog = new AccessLog({ write: (chunk) => keptLines.push(chunk) });
    stringLog = new AccessLog({ write: (chunk) => stringLines.push(chunk) });
    expect(keptLog.keepsLines).toBe(true);
    expect(stringLog.keepsLines).toBe(false);
  });
  afterAll(() => {
    keptLog.close();
    stringLog.close();
  });

  it('take the common heads: a browser-like request, the benchmark request, node:http and chunked responses', () => {
    const requests = [
      'GET / HTTP/1.1\r\nHost: bench.cloud.localhost\r\nUser-Agent: instructions\r\nAccept: */*\r\n\r\n',
      'POST /api/x?y=1 HTTP/1.1\r\nHost: Cloud.Localhost:8080\r\nConnection: keep-alive\r\nContent-Length: 2\r\nCookie: a=1\r\n' +
        'Origin: https://cloud.localhost\r\nAuthorization: Bearer x\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n',
    ];
    for (const input of requests) {
      const text = headText(input) as string;
      expect(fastRequest(input, text), input).toBeDefined();
      expect(fastRequest(input, text)).toEqual(anyRequest(text));
      expect(fastRequest(`${input}POST / HTTP/1.1\r\n`, text)).toEqual(anyRequest(text));
    }
    const responses = [
      'HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/plain\r\nDate: Wed, 02 Dec 2026 17:00:00 GMT\r\n' +
        'Connection: keep-alive\r\nKeep-Alive: timeout=65\r\nContent-Length: 5\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nVary: Origin\r\n\r\n',
      'HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n',
    ];
    for (const input of responses) {
      const text = headText(input) as string;
      expect(fastResponse(input, text), input).toBeDefined();
      expect(fastResponse(input, text)).toEqual(anyResponse(text));
      expect(fastResponse(`${input}hello`, text)).toEqual(anyResponse(text));
    }
  });

  it('leave malformed heads to the complete parsers, whose status wins', () => {
    const status = (input: string) => {
      const buf = Buffer.from(input, 'latin1');
      return parseRequestHead(buf, buf.indexOf('\r\n\r\n'));
    };
    // The control byte is checked first: 400 even where CONNECT (405) or too many lines (431) would also apply.
    expect(status('CONNECT x:1 HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n')).toBe(400);
    expect(status(`GET / HTTP/1.1\r\nHost: a\r\n${'X: 1\r\n'.repeat(100)}Y: \x7f\r\n\r\n`)).toBe(400);
    expect(status(`GET / HTTP/1.1\r\nHost: a\r\n${'X: 1\r\n'.repeat(100)}\r\n`)).toBe(431);
    expect(status('GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: a\r\nX: 1\rY\r\n\r\n')).toBe(400);
    expect(status('GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n')).toBe(400);
    expect(status('GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n')).toBe(501);
    for (const bad of [
      'HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX: a\nSet-Cookie: evil=1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX : a\r\n\r\n',
      'HTTP/1.1 20 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    ]) {
      const text = headText(bad) as string;
      expect(fastResponse(bad, text), bad).toBeUndefined();
      const buf = Buffer.from(bad, 'latin1');
      expect(parseResponseHead(buf, buf.indexOf('\r\n\r\n')), bad).toBeUndefined();
    }
  });

  it(`answer as the complete request parser on ${RUNS} random heads`, () => {
    const r = seededRandom(SEED);
    let taken = 0;
    for (let i = 0; i < RUNS; i++) {
      const input = (r() < 0.5 ? mutate(r, randomRequest(r), TRICKY) : randomRequest(r)) + pick(r, AFTER_HEAD);
      const text = headText(input);
      if (text === undefined) continue;
      const fast = fastRequest(input, text);
      if (fast === undefined) continue;
      taken++;
      const full = anyRequest(text);
      if (JSON.stringify(fast) !== JSON.stringify(full)) {
        expect.fail(
          `EDGE_FUZZ_SEED=${SEED} input #${i} ${JSON.stringify(text)}: fast ${JSON.stringify(fast)}, complete ${JSON.stringify(full)}`,
        );
      }
    }
    // The generator must exercise the fast path, not only its refusals.
    expect(taken).toBeGreaterThan(RUNS / 20);
  });

  it(`answer as the complete response parser on ${RUNS} random heads`, () => {
    const r = seededRandom(SEED ^ 0x5bd1e995);
    let taken = 0;
    for (let i = 0; i < RUNS; i++) {
      const input = (r() < 0.5 ? mutate(r, randomResponse(r), TRICKY) : randomResponse(r)) + pick(r, AFTER_HEAD);
      const text = headText(input);
      if (text === undefined) continue;
      const fast = fastResponse(input, text);
      if (fast === undefined) continue;
      taken++;
      const full = anyResponse(text);
      if (JSON.stringify(fast) !== JSON.stringify(full)) {
        expect.fail(
          `EDGE_FUZZ_SEED=${SEED} input #${i} ${JSON.stringify(text)}: fast ${JSON.stringify(fast)}, complete ${JSON.stringify(full)}`,
        );
      }
    }
    expect(taken).toBeGreaterThan(RUNS / 20);
  });
});

describe('heads split across reads', () => {
  const RESPONSE =
    'HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n' +
    'Content-Length: 5\r\n\r\nhello';
  let upstream: Awaited<ReturnType<typeof startRawUpstream>>;
  let gw: TestEdge;

  /** Writes the response whole, or 3 bytes at a time with a pause between (each piece its own read at the edge). */
  async function answer(path: string, socket: Socket): Promise<void> {
    if (path !== '/pieces') {
      socket.write(RESPONSE);
      return;
    }
    for (let i = 0; i < RESPONSE.length; i += 3) {
      socket.write(RESPONSE.slice(i, i + 3), 'latin1');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  beforeAll(async () => {
    upstream = await startRawUpstream((path, socket) => void answer(path, socket));
    gw = await startTestEdge([
      { host: 'cloud.localhost', pathPrefix: '/', target: `http://127.0.0.1:${upstream.port}`, stripPrefix: false },
    ]);
  });
  afterAll(async () => {
    await gw.close();
    upstream.close();
  });

  /** The transcript without the per-request id. */
  const normalised = (text: string) => text.replace(/X-Request-ID: [^\r]*/g, 'X-Request-ID: *');

  it('gives the same response whether the request and response heads arrive whole or in pieces', async () => {
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: cloud.localhost\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
    const whole = await raw(gw.edge.ports.http, request('/whole'));
    const pieces = await raw(gw.edge.ports.http, request('/pieces'), { byteByByte: true });
    expect(whole.closed && pieces.closed).toBe(true);
    expect(normalised(whole.text)).toBe(
      'HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Request-ID: *\r\nConnection: close\r\n\r\nhello',
    );
    expect(normalised(pieces.text)).toBe(normalised(whole.text));
    // Both requests reached the upstream with the same forwarded head (up to the path, the id and the deadline).
    const heads = upstream.received.split('\r\n\r\n').filter(Boolean);
    const clean = (head: string) => head.replace(/X-Request-(?:ID|Deadline): [^\r]*/g, '').replace(/\/(?:whole|pieces)/, '/p');
    expect(heads).toHaveLength(2);
    expect(clean(heads[1] as string)).toBe(clean(heads[0] as string));
  });
});
