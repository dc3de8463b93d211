/** Field names (RFC 9110 §5.1): shared by the request and response head parsers. */

// RFC 9110 §5.6.2 tchar, as a lookup table: field names are checked byte by byte without a regex.
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") TCHAR[c.charCodeAt(0)] = 1;

/** Is byte `c` a tchar? */
export function isTokenByte(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

/** Is text[from, to) a non-empty token: a valid field name, with no whitespace inside or around it? */
export function isToken(text: string, from: number, to: number): boolean {
  if (from === to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || TCHAR[c] === 0) return false;
  }
  return true;
}

/**
 * bytes[pos, pos + 4) as one little-endian int32 with every byte's 0x20 bit set, so the parsers compare four
 * letters at once in any case. Only a letter's two cases fold onto a lower-case letter, and only '-' and CR onto '-'.
 */
export function foldedWordAt(bytes: Uint8Array, pos: number): number {
  return (
    (bytes[pos] as number) |
    ((bytes[pos + 1] as number) << 8) |
    ((bytes[pos + 2] as number) << 16) |
    ((bytes[pos + 3] as number) << 24) |
    0x20202020
  );
}

/**
 * A lower-case token of at least four bytes (a value such as `keep-alive`, or a field name whose length the parsers
 * use), as the folded words hasWordsAt compares.
 */
export interface PackedToken {
  readonly length: number;
  /** The words at offsets 0, 4, 8, ... below length - 4, then the (overlapping) last word at length - 4. */
  readonly words: Int32Array;
}

export function packedToken(lower: string): PackedToken {
  if (lower.length < 4 || !isToken(lower, 0, lower.length) || lower !== lower.toLowerCase()) {
    throw new Error(`packedToken: '${lower}' is not a lower-case token of at least four bytes`);
  }
  const bytes = Buffer.from(lower, 'latin1');
  const words: number[] = [];
  const last = lower.length - 4;
  for (let off = 0; off < last; off += 4) words.push(foldedWordAt(bytes, off));
  words.push(foldedWordAt(bytes, last));
  return { length: lower.length, words: Int32Array.from(words) };
}

/**
 * Are bytes[pos, pos + name.length) `name` in any letter case? Exact for tokens of letters, digits and '-' when no
 * CR (which folds onto '-') is in that range: the callers compare bytes before a line's first CR.
 */
export function hasWordsAt(bytes: Uint8Array, pos: number, name: PackedToken): boolean {
  const words = name.words;
  const last = name.length - 4;
  let i = 0;
  for (let off = 0; off < last; off += 4) if (foldedWordAt(bytes, pos + off) !== words[i++]) return false;
  return foldedWordAt(bytes, pos + last) === words[i];
}
