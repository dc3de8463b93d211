import { HttpError } from '@edd/http';
import { ownTag, parseEntityTagList, strongMatch, weakMatch, type EntityTag } from './entity-tag';
import { parseHttpDate, toHttpSeconds } from './http-date';

/** What a file offers to compare against: its ETag (`etagForSha256`) and its modification time in milliseconds. */
export interface Validators {
  etag: string;
  lastModified: number;
}

/** The parts of a request the preconditions read (an Express `req` fits). */
export interface ConditionalRequest {
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** `proceed`, answer 304 (GET/HEAD only), or answer 412. */
export type Precondition = 'proceed' | 'not-modified' | 'precondition-failed';

/**
 * RFC 9110 §13.2.2, in its order: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since.
 * `current` is the file as it is now, or null when there is none (an upload of a new path), so
 * `If-None-Match: *` makes an upload "create only" and `If-Match` an overwrite "only if unchanged".
 */
export function evaluatePreconditions(request: ConditionalRequest, current: Validators | null): Precondition {
  const ifMatch = header(request, 'if-match');
  if (ifMatch !== undefined) {
    if (!listMatches(ifMatch, current, strongMatch)) return 'precondition-failed';
  } else if (current && isModifiedSince(header(request, 'if-unmodified-since'), current) === true) {
    // §13.1.4: ignored when the value is not a date (isModifiedSince answers undefined) or there is no file.
    return 'precondition-failed';
  }

  const safe = request.method === 'GET' || request.method === 'HEAD';
  const ifNoneMatch = header(request, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (listMatches(ifNoneMatch, current, weakMatch)) return safe ? 'not-modified' : 'precondition-failed';
    return 'proceed';
  }
  // §13.1.3: If-Modified-Since only for GET and HEAD, and ignored when If-None-Match is present (handled above).
  if (safe && current && isModifiedSince(header(request, 'if-modified-since'), current) === false) return 'not-modified';
  return 'proceed';
}

/** The 412 answer. */
export function preconditionFailed(): HttpError {
  return new HttpError('precondition_failed', 'the file does not match the request’s If-Match / If-None-Match / If-Unmodified-Since');
}

/**
 * `*` matches any current file (§13.1.1, §13.1.2); a list matches when one of its tags matches the file's.
 * A malformed list matches nothing: If-Match then fails safe (no overwrite), If-None-Match serves the full body.
 */
function listMatches(value: string, current: Validators | null, compare: (a: EntityTag, b: EntityTag) => boolean): boolean {
  if (!current) return false;
  const list = parseEntityTagList(value);
  if (list === '*') return true;
  if (list === 'invalid') return false;
  const own = ownTag(current.etag);
  return list.some((tag) => compare(tag, own));
}

/** true / false when the date is valid, undefined when the header is absent or not an HTTP-date. */
function isModifiedSince(value: string | undefined, current: Validators): boolean | undefined {
  const date = parseHttpDate(value);
  if (date === undefined) return undefined;
  return toHttpSeconds(current.lastModified) > toHttpSeconds(date);
}

function header(request: ConditionalRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
