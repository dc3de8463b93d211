/** Field names (RFC 9110 §5.1): shared by the request and response head parsers. */

// RFC 9110 §5.6.2 tchar, as a lookup table over latin1 (bytes ≥ 128 are not tchars): names are checked byte by
// byte without a regex.
const TCHAR = new Uint8Array(256);
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
 * End of the token starting at text[from]: the index of the first character that is not a tchar. `text` must
 * be latin1 (every char < 256) and hold a non-tchar after `from` (a head string ends with CRLF).
 */
export function tokenEnd(text: string, from: number): number {
  let i = from;
  while (TCHAR[text.charCodeAt(i)] === 1) i++;
  return i;
}

/** Case-insensitive comparison of text[pos..] with a lower-case name; only letters fold (RFC 9110 §5.1). */
export function sameName(text: string, pos: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = text.charCodeAt(pos + i);
    const l = lower.charCodeAt(i);
    if (c !== l && !(l >= 97 && c + 32 === l)) return false;
  }
  return true;
}
