import { eventCatalog, eventTypes } from './catalog';
import type { EventType, SubjectIds } from './catalog';
import { EventValidationError } from './errors';

// A NATS subject token may not be empty and may not contain `.` (separator), `*` / `>` (wildcards)
// or whitespace; control characters are refused too because they would corrupt the protocol line.
// eslint-disable-next-line no-control-regex
const INVALID_TOKEN = /[.*>\s\u0000-\u001f\u007f]/u;

/** Checks one id used as a subject token; throws EventValidationError when it would break the subject. */
export function subjectToken(value: string, field = 'id'): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new EventValidationError(`${field}: must be a non-empty string to be used in a subject`);
  }
  if (INVALID_TOKEN.test(value)) {
    throw new EventValidationError(`${field}: "${value}" cannot be used in a subject (no '.', '*', '>' or whitespace)`);
  }
  return value;
}

/** Replaces each `{field}` of a subject pattern by that value, checked as one subject token. */
export function fillSubject(pattern: string, values: Record<string, unknown>): string {
  return pattern.replace(/\{(\w+)\}/gu, (_match, key: string) => subjectToken(values[key] as string, key));
}

/** Builds the concrete subject of an event, e.g. `buildSubject('auth.user.created', { userId: 'u1' })`. */
export function buildSubject<T extends EventType>(type: T, ids: SubjectIds<T>): string {
  return fillSubject(eventCatalog[type].subject, ids as Record<string, unknown>);
}

/** Wildcard filter matching every event of a type, e.g. `auth.session.*.invalidated`. */
export function subjectFilter(type: EventType): string {
  return eventCatalog[type].subject.replace(/\{\w+\}/gu, '*');
}

/** NATS subject matching for filters containing `*` and `>`. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

/** The event type whose filter matches a concrete subject (among `candidates`), if any. */
export function eventTypeOfSubject<T extends EventType>(subject: string, candidates: readonly T[] = eventTypes as T[]): T | undefined {
  return candidates.find((type) => subjectMatches(subjectFilter(type), subject));
}

/**
 * One filter covering all `filters` (for servers older than 2.10, which allow a single filter_subject
 * per consumer): equal-length filters merge token by token (`a.*.x` + `a.*.y` -> `a.*.*`), otherwise the
 * longest common prefix plus `>`. The consumer then skips the extra subjects it receives.
 */
export function coveringFilter(filters: readonly string[]): string {
  const all = filters.map((f) => f.split('.'));
  const [first] = all;
  if (!first) throw new Error('coveringFilter needs at least one filter');
  const sameShape = all.every((tokens) => tokens.length === first.length && !tokens.includes('>'));
  if (sameShape) return first.map((token, i) => (all.every((t) => t[i] === token) ? token : '*')).join('.');
  // Keep the shared leading tokens, stopping before any filter's last token: `>` must still match one or more.
  const shortest = Math.min(...all.map((tokens) => tokens.length));
  const prefix: string[] = [];
  for (let i = 0; i < shortest - 1; i++) {
    const token = first[i] as string;
    if (token === '>' || !all.every((t) => t[i] === token)) break;
    prefix.push(token);
  }
  return prefix.length > 0 ? `${prefix.join('.')}.>` : '>';
}
