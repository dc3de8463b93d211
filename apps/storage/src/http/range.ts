import { HttpError } from '@edd/http';
import type { ConditionalRequest, Validators } from './conditional';
import { ownTag, parseEntityTagList, strongMatch } from './entity-tag';
import { parseHttpDate, toHttpSeconds } from './http-date';

/** Bytes `start` to `end`, both included (the numbers `Content-Range` carries). */
export interface ByteRange {
  start: number;
  end: number;
}

/** 200 with the whole file, 206 with these ranges (one: a plain body; several: multipart/byteranges), or 416. */
export type RangeDecision = { kind: 'full' } | { kind: 'partial'; ranges: ByteRange[] } | { kind: 'unsatisfiable' };

/**
 * More range-specs than this and the header is ignored (200 with the whole file). RFC 9110 §14.2 lets a server
 * "ignore or reject" egregious range sets and §17.15 names them a denial-of-service vector; ignoring is the answer
 * every client understands (Apache's MaxRanges does the same), and 416 would wrongly claim nothing overlaps.
 */
export const MAX_RANGES = 16;

const FULL: RangeDecision = { kind: 'full' };
const UNIT_AND_SET = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)=(.*)$/s;
const INT_RANGE = /^(\d+)-(\d*)$/;
const SUFFIX_RANGE = /^-(\d+)$/;

/**
 * Range for a GET of a file (RFC 9110 §14.2): ignored for other methods, and when If-Range names another version
 * of the file (§13.1.5). Call it after `evaluatePreconditions` answered `proceed`.
 */
export function evaluateRange(request: ConditionalRequest, file: Validators & { size: number }, now = Date.now()): RangeDecision {
  const range = single(request.headers.range);
  if (request.method !== 'GET' || range === undefined) return FULL;
  const ifRange = single(request.headers['if-range']);
  if (ifRange !== undefined && !ifRangeHolds(ifRange, file, now)) return FULL;
  return parseRange(range, file.size);
}

/**
 * `bytes=` range sets (RFC 9110 §14.1.2): int ranges (`0-99`, open-ended `100-`), suffix ranges (`-100`), lists with
 * optional whitespace and empty elements. An invalid header is ignored (200); a valid one with no range that
 * overlaps the file is unsatisfiable (416). Overlapping and adjacent ranges are merged (§15.3.7.2 allows it), the
 * rest keep the order the client asked for.
 */
export function parseRange(header: string, size: number): RangeDecision {
  const set = UNIT_AND_SET.exec(header);
  if (!set || set[1]?.toLowerCase() !== 'bytes') return FULL; // §14.1: units are case-insensitive; others unknown here
  const total = BigInt(size);
  const ranges: ByteRange[] = [];
  let specs = 0;
  let nonEmptySuffix = false;
  for (const element of (set[2] ?? '').split(',')) {
    const spec = element.replace(/^[ \t]+|[ \t]+$/g, '');
    if (spec === '') continue;
    if (++specs > MAX_RANGES) return FULL;
    const int = INT_RANGE.exec(spec);
    const suffix = int ? null : SUFFIX_RANGE.exec(spec);
    if (int) {
      // BigInt: "99999999999999999999" must compare exactly, not as a rounded float.
      const first = BigInt(int[1] ?? '');
      const last = int[2] ? BigInt(int[2]) : undefined;
      if (last !== undefined && last < first) return FULL; // §14.1.1: an invalid range-spec makes the set invalid
      if (first < total) ranges.push({ start: Number(first), end: Number(last !== undefined && last < total ? last : total - 1n) });
    } else if (suffix) {
      const length = BigInt(suffix[1] ?? '');
      if (length === 0n) continue; // §14.1.3: a zero suffix-length is unsatisfiable
      nonEmptySuffix = true;
      if (size > 0) ranges.push({ start: Number(length >= total ? 0n : total - length), end: size - 1 });
    } else {
      return FULL;
    }
  }
  if (specs === 0) return FULL;
  // §14.1.1: for an empty file only a non-empty suffix range is satisfiable, and it selects the (empty) whole.
  if (size === 0) return nonEmptySuffix ? FULL : { kind: 'unsatisfiable' };
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  return { kind: 'partial', ranges: coalesce(ranges) };
}

/** `Content-Range` of a 206 part: `bytes 0-99/1000` (§14.4). */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** The 416 answer; its `Content-Range` (`bytes *` then `/` and the size) tells the client the length (§15.5.17). */
export function rangeNotSatisfiable(size: number): HttpError {
  return new HttpError('range_not_satisfiable', `no requested range overlaps the file's ${size} bytes`, {
    headers: { 'Content-Range': `bytes */${size}` },
  });
}

/**
 * §13.1.5: a strong ETag that equals the file's, or an HTTP-date equal to its Last-Modified that is a strong
 * validator (§8.8.2.2: the file's last change is in an earlier second than now, so no later change can share its
 * second). A weak tag, another tag or date, or garbage: the client's copy is another version, send it whole.
 */
function ifRangeHolds(value: string, file: Validators, now: number): boolean {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('W/')) {
    const tags = parseEntityTagList(trimmed);
    const tag = Array.isArray(tags) && tags.length === 1 ? tags[0] : undefined;
    return tag !== undefined && strongMatch(tag, ownTag(file.etag));
  }
  const date = parseHttpDate(trimmed, now);
  if (date === undefined) return false;
  const modified = toHttpSeconds(file.lastModified);
  return modified === toHttpSeconds(date) && modified < toHttpSeconds(now);
}

/** Merges overlapping and adjacent ranges; each merged range takes the place of the earliest one it absorbed. */
function coalesce(ranges: ByteRange[]): ByteRange[] {
  const byStart = ranges.map((range, order) => ({ ...range, order })).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: (ByteRange & { order: number })[] = [];
  for (const range of byStart) {
    const last = merged.at(-1);
    if (last && range.start <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
      last.order = Math.min(last.order, range.order);
    } else {
      merged.push({ ...range });
    }
  }
  return merged.sort((a, b) => a.order - b.order).map(({ start, end }) => ({ start, end }));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
