export type Disposition = 'inline' | 'attachment';

/** Names a browser saves a file under when nothing of its own name is usable. */
const FALLBACK_NAME = 'download';
// RFC 8187 §3.2.1 attr-char: everything else in filename* is percent-encoded.
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/**
 * `Content-Disposition` (RFC 6266) for a file at `path` (its last segment names it): an ASCII `filename` every
 * browser reads, and `filename*=UTF-8''…` (RFC 8187) when the real name is not plain ASCII. Line breaks, quotes and
 * backslashes never reach the header, so a file name cannot add a header or end the parameter early.
 */
export function contentDisposition(disposition: Disposition, path: string): string {
  const name = displayName(path);
  const fallback = asciiFallback(name);
  const header = `${disposition}; filename="${fallback}"`;
  return fallback === name ? header : `${header}; filename*=UTF-8''${encodeExtValue(name)}`;
}

/** The last segment, without control or bidi characters (paths are validated on upload; this is the second line). */
function displayName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  let name = '';
  for (const character of base) {
    const code = character.codePointAt(0) ?? 0;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (!control && !bidi && !(code >= 0xd800 && code <= 0xdfff)) name += character;
  }
  return name.trim() === '' || name === '.' || name === '..' ? FALLBACK_NAME : name;
}

/**
 * RFC 6266 Appendix D: printable ASCII inside the quoted string, with `_` for anything else, for `"` and `\`
 * (quoting rules some browsers get wrong) and for `%` (some browsers percent-decode `filename`).
 */
function asciiFallback(name: string): string {
  let fallback = '';
  for (const character of name) {
    const code = character.codePointAt(0) ?? 0;
    fallback += code >= 0x20 && code <= 0x7e && character !== '"' && character !== '\\' && character !== '%' ? character : '_';
  }
  return fallback;
}

function encodeExtValue(name: string): string {
  let encoded = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const character = String.fromCharCode(byte);
    encoded += byte < 0x80 && ATTR_CHAR.test(character) ? character : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
