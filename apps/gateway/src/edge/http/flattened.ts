import { latin1Slice } from './buffer-latin1';

/** Any character a latin1 round trip would not keep. */
const NOT_LATIN1 = /[\u0100-\uffff]/;

/**
 * `text` as one flat (sequential) string, for strings built once and then written or concatenated on every
 * request (per-connection forwarding fields, the per-clock deadline line, the access log's constant pieces).
 *
 * A string built with `+` or a template literal is a V8 cons string (a tree of its pieces) once it is 13 or more
 * characters long. Every write of it, or of a head containing it, walks that tree again (`String::WriteToFlat`,
 * the largest "other" entry in `gateway-instructions.ts --top`). Copying it once through a buffer gives a plain
 * sequential string that later writes copy with one memcpy. Short strings are flat already; a string with
 * characters beyond latin1 (never the case for head pieces) is only flattened in place, by the check itself (V8
 * flattens a regular expression's subject and leaves the cons string pointing at the flat copy).
 */
export function flattened(text: string): string {
  if (text.length < 13 || NOT_LATIN1.test(text)) return text;
  const bytes = Buffer.from(text, 'latin1');
  return latin1Slice(bytes, 0, bytes.length);
}
