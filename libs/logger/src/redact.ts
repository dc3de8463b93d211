import type { LogFields } from './logger';

// Field names whose values are credentials: they are masked whatever the caller passes.
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|service[-_]?key|private/i;
// ...except public identifiers and counts named after them (`tokenId`, `session_ids`, `tokenCount`): audits need those.
const PUBLIC_KEY = /(?:Ids?|_ids?|Count|_count)$/;
// Credentials that turn up inside free text (a URL with `?token=`, an error message): API tokens and JWTs.
const SECRET_VALUE = /ecloud_[0-9A-Za-z]+_[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const MAX_DEPTH = 4;

/** Masks API tokens and JWTs inside free text (messages, URLs, error messages). */
export function maskText(text: string): string {
  return text.replace(SECRET_VALUE, '[redacted]');
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: maskText(value.message) };
  if (!value || typeof value !== 'object') return value;
  // Too deep to inspect is too deep to trust: never written unmasked.
  if (depth >= MAX_DEPTH) return '[truncated]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  // Bytes are hashes, keys or payloads: their size is all a log line needs.
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  return redact(value as LogFields, depth + 1);
}

/** Copies `fields`, masking every value stored under a credential-like key (and tokens inside text), at any depth. */
export function redact(fields: LogFields, depth = 0): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_KEY.test(key) && !PUBLIC_KEY.test(key) ? '[redacted]' : redactValue(value, depth);
  }
  return out;
}
