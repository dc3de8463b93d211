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

/** Case-insensitive comparison of bytes[pos..] with a lower-case name; only letters fold (RFC 9110 §5.1). */
export function sameName(bytes: Uint8Array, pos: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = bytes[pos + i] as number;
    const l = lower.charCodeAt(i);
    if (c !== l && !(l >= 97 && c + 32 === l)) return false;
  }
  return true;
}
