import { describe, expect, it } from 'vitest';
import {
  HOST_HAS_UPPER,
  hostNameEnd,
  lineEnds,
  MAX_SCANNED_BYTES,
  requestQuery,
  scanRequestHead,
  scanResponseHead,
} from '../http/head-scanner';
import { FUZZ_SEED, fuzzRuns, int, mutate, pick, seededRandom, TRICKY_BYTES, type Rand } from './seeded-random';

/**
 * The scanner (head-scanner.wat) against the grammar it implements, written as the regular expressions the fast
 * paths used before it: on seeded random heads and mutations of them, it takes exactly the heads the patterns
 * take (the request pattern with any upper-case method: the fast path checks the method itself), ends them where
 * the patterns end, and records every line's CR and the target's first '?'.
 */
const REQUEST = /^[A-Z]+ \/[\x21\x22\x24-\x7e]* HTTP\/1\.[01]\r\n(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n)*\r\n/y;
const RESPONSE = /^HTTP\/1\.[01] [1-9]\d\d(?: [^\r\n\0]*)?\r\n(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[^\r\n\0]*\r\n)*\r\n/y;

/** The pattern's answer in the scanner's terms: the index of the empty line's CR, or -1. */
function patternEnd(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  return pattern.test(text) ? pattern.lastIndex - 2 : -1;
}

/** Each line's CR up to the empty line at `end`, as the scanner should record them. */
function crs(text: string, end: number): number[] {
  const out: number[] = [];
  for (let at = text.indexOf('\r'); at !== -1 && at < end; at = text.indexOf('\r', at + 2)) out.push(at);
  return out;
}

const bytes = (text: string) => Buffer.from(text, 'latin1');
const scanRequest = (text: string) => scanRequestHead(bytes(text), text.length);
const scanResponse = (text: string) => scanResponseHead(bytes(text), text.length);

const TRICKY = [...TRICKY_BYTES, '\x01', '\xe9', '#', '?', '/', 'HTTP/1.1', '\r\n\r\n'];

function randomRequest(r: Rand): string {
  const method = pick(r, ['GET', 'POST', 'DELETE', 'get', 'G', 'X-Y']);
  const target = pick(r, ['/', '/a?b=c', '/x/y?', '/a?b?c', '/p#f', '*', 'http://a/b', '/%20~!']);
  const version = pick(r, ['HTTP/1.1', 'HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0']);
  const lines = Array.from({ length: int(r, 6) }, () =>
    pick(r, ['Host: a', 'host:a', 'Accept: */*', 'X-E: \xe9', 'A:', 'Cookie: a=1; b=2', 'UA: x\ty']),
  );
  return `${method} ${target} ${version}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n${pick(r, ['', 'body', '\r\n'])}`;
}

function randomResponse(r: Rand): string {
  const status = pick(r, ['200 OK', '204', '404 Not Found', '099 X', '1000', '200 \x01ok', '200 \xe9']);
  const version = pick(r, ['HTTP/1.1', 'HTTP/1.0', 'HTTP/1.9']);
  const lines = Array.from({ length: int(r, 8) }, () =>
    pick(r, ['Content-Length: 5', 'Date: Wed, 02 Dec 2026 17:00:00 GMT', 'X: \x01\x7f', 'Set-Cookie: a=b', 'E:']),
  );
  return `${version} ${status}\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n${pick(r, ['', 'hello'])}`;
}

function expectAsPattern(scan: (text: string) => number, pattern: RegExp, text: string): void {
  const end = scan(text);
  expect(end, JSON.stringify(text)).toBe(patternEnd(pattern, text));
  if (end !== -1) {
    const lines = crs(text, end);
    expect(Array.from(lineEnds.subarray(0, lines.length)), JSON.stringify(text)).toEqual(lines);
  }
}

describe(`head scanner (EDGE_FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('takes and ends the heads the patterns take, recording each line end', () => {
    const r = seededRandom(FUZZ_SEED);
    for (let i = 0; i < fuzzRuns(20_000); i++) {
      const request = randomRequest(r);
      expectAsPattern(scanRequest, REQUEST, r() < 0.5 ? request : mutate(r, request, TRICKY));
      const response = randomResponse(r);
      expectAsPattern(scanResponse, RESPONSE, r() < 0.5 ? response : mutate(r, response, TRICKY));
    }
  });

  it('takes no head cut short, at any length, though the whole head is still in its memory from the scan before', () => {
    const request = 'GET /a?b HTTP/1.1\r\nHost: a\r\n\r\n';
    const response = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';
    for (let n = 0; n < request.length; n++) {
      expect(scanRequest(request)).toBe(request.length - 2);
      expect(scanRequest(request.slice(0, n))).toBe(-1);
    }
    for (let n = 0; n < response.length; n++) {
      expect(scanResponse(response)).toBe(response.length - 2);
      expect(scanResponse(response.slice(0, n))).toBe(-1);
    }
  });

  it("records the target's first '?' only, and none when the target has none", () => {
    expect(scanRequest('GET /a?b?c HTTP/1.1\r\nHost: a\r\n\r\n')).not.toBe(-1);
    expect(requestQuery()).toBe(6);
    expect(scanRequest('GET /a HTTP/1.1\r\nX: ?\r\n\r\n')).not.toBe(-1);
    expect(requestQuery()).toBe(-1);
  });

  it('scans only the given length of a longer chunk, and leaves heads beyond its memory to the complete parsers', () => {
    const head = 'HTTP/1.1 200 OK\r\nA: b\r\n\r\n';
    expect(scanResponseHead(bytes(`${head}\r\nrest`), head.length)).toBe(head.length - 2);
    expect(scanResponseHead(bytes(head), head.length - 1)).toBe(-1);
    const long = `GET / HTTP/1.1\r\nX: ${'a'.repeat(MAX_SCANNED_BYTES)}\r\n\r\n`;
    expect(scanRequest(long)).toBe(-1);
    // The longest head it takes, one value up to its last byte: the pass's 16-byte loads stay inside its memory.
    for (const start of ['GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n']) {
      const fill = MAX_SCANNED_BYTES - start.length - 'X: \r\n\r\n'.length;
      const longest = `${start}X: ${'a'.repeat(fill)}\r\n\r\n`;
      expect(longest.length).toBe(MAX_SCANNED_BYTES);
      expect(start.startsWith('GET') ? scanRequest(longest) : scanResponse(longest)).toBe(MAX_SCANNED_BYTES - 2);
    }
  });

  it('takes no more lines than its table holds', () => {
    const lines = (n: number) => `HTTP/1.1 200 OK\r\n${'A: b\r\n'.repeat(n)}\r\n`;
    expect(scanResponse(lines(1023))).not.toBe(-1);
    expect(scanResponse(lines(1024))).toBe(-1);
  });

  it("reads a Host value as the complete parser's reg-name and port pattern does, saying where the name ends", () => {
    const pattern = /^([A-Za-z0-9._~!$&'()*+,;=%-]*)(?::\d{0,5})?$/;
    const r = seededRandom(FUZZ_SEED);
    const pieces = ['a', 'Z', '.', '-', ':', '8', '80', '123456', '[', ']', ' ', '@', '/', '\xe9', '%', '~'];
    for (let i = 0; i < fuzzRuns(20_000); i++) {
      const value = Array.from({ length: int(r, 6) }, () => pick(r, pieces)).join('');
      const head = Buffer.from(`GET / HTTP/1.1\r\nHost: ${value}\r\n\r\n`, 'latin1');
      if (scanRequestHead(head, head.length) === -1) continue; // a byte no field value holds
      const from = 'GET / HTTP/1.1\r\nHost: '.length;
      const got = hostNameEnd(from, from + value.length);
      const m = pattern.exec(value);
      const want = m ? from + (m[1] as string).length + (/[A-Z]/.test(m[1] as string) ? HOST_HAS_UPPER : 0) : -1;
      if (got !== want) throw new Error(`seed ${FUZZ_SEED}: Host ${JSON.stringify(value)} read as ${got}, not ${want}`);
    }
  });
});
