import { RESERVED_NAMESPACE_NAMES as CONTRACT_RESERVED_NAMES } from '@edd/api-contracts';
import { HttpError } from '@edd/http';

/** Longest file path, in UTF-8 bytes: also S3's limit on an object key, so every engine can store every path. */
export const MAX_FILE_PATH_BYTES = 1024;
/** Longest folder or file name: what ext4, APFS and NTFS accept, so a download can be saved under its own name. */
export const MAX_PATH_SEGMENT_BYTES = 255;

/**
 * Words that follow `/storage/` in the service's own routes (`download`, `s` for share links, ...): a namespace with one
 * of these names would make `/storage/download/x` mean two things. One list, the contract's, shared with the dashboard.
 */
export const RESERVED_NAMESPACE_NAMES: ReadonlySet<string> = new Set(CONTRACT_RESERVED_NAMES);

const NAMESPACE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
// With the `u` flag a surrogate range matches only unpaired halves.
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** A name that breaks a rule, with the sentence that says which one. */
export type NameCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Namespace names (issue 9: `[a-z0-9][a-z0-9._-]{0,62}`, unique platform-wide). Beyond the pattern:
 * - no `..` anywhere: harmless as a path segment here, but it reads as traversal to every log reader and WAF, and
 *   S3 bucket names forbid it too, so it costs nothing;
 * - no trailing `.`: Windows and SMB strip trailing dots, so `photos.` and `photos` would collide in a sync client.
 */
export function checkNamespaceName(raw: unknown): NameCheck {
  if (typeof raw !== 'string' || raw.length === 0) return fail('namespace name is required');
  if (raw.length > 63) return fail('namespace name is longer than 63 characters');
  if (!NAMESPACE_NAME.test(raw)) {
    return fail('namespace name must start with a lowercase letter or digit and contain only a-z, 0-9, ".", "_" and "-"');
  }
  if (raw.includes('..')) return fail('namespace name must not contain ".."');
  if (raw.endsWith('.')) return fail('namespace name must not end with "."');
  if (RESERVED_NAMESPACE_NAMES.has(raw)) return fail(`namespace name "${raw}" is reserved`);
  return { ok: true, value: raw };
}

/**
 * File paths inside a namespace (`a/b/c.txt`), normalised to Unicode NFC first: macOS hands out decomposed (NFD)
 * names, Windows and Linux composed ones, and without one form "café.txt" from two machines would be two different
 * files that look the same. NFC is the form the web uses (W3C Character Model: Normalization).
 */
export function checkFilePath(raw: unknown): NameCheck {
  if (typeof raw !== 'string' || raw.length === 0) return fail('file path is required');
  // A lone surrogate would become U+FFFD in UTF-8, so two different requests would name the same file.
  if (LONE_SURROGATE.test(raw)) return fail('file path is not valid Unicode (a lone surrogate)');
  const path = raw.normalize('NFC');
  const bytes = Buffer.byteLength(path, 'utf8');
  if (bytes > MAX_FILE_PATH_BYTES) return fail(`file path is ${bytes} bytes long; the limit is ${MAX_FILE_PATH_BYTES} bytes (UTF-8)`);
  const control = firstForbiddenCharacter(path);
  if (control) return fail(`file path contains ${control}`);
  if (path.includes('\\')) return fail('file path contains a backslash; use "/" between folders');
  if (path.startsWith('/')) return fail('file path must not start with "/"');
  if (path.endsWith('/')) return fail('file path must not end with "/"');
  for (const segment of path.split('/')) {
    if (segment === '') return fail('file path contains an empty folder name ("//")');
    if (segment === '.' || segment === '..') return fail(`file path must not contain a "${segment}" segment`);
    const segmentBytes = Buffer.byteLength(segment, 'utf8');
    if (segmentBytes > MAX_PATH_SEGMENT_BYTES) {
      return fail(`a folder or file name in the path is ${segmentBytes} bytes long; the limit is ${MAX_PATH_SEGMENT_BYTES} bytes`);
    }
  }
  return { ok: true, value: path };
}

/** `checkNamespaceName` for a request: the name, or a 400 whose `details` names the field. */
export function parseNamespaceName(raw: unknown, field = 'namespace'): string {
  return valueOrBadRequest(checkNamespaceName(raw), field);
}

/** `checkFilePath` for a request: the NFC path, or a 400 whose `details` names the field. */
export function parseFilePath(raw: unknown, field = 'path'): string {
  return valueOrBadRequest(checkFilePath(raw), field);
}

/**
 * C0 controls (NUL, CR, LF, ESC…), DEL, C1 controls (U+0080–U+009F: invisible, and U+009B is a terminal's CSI, so a
 * name printed by a CLI could drive the terminal) and the bidi embedding, override and isolate controls, which make
 * `invoice‮fdp.exe` display as `invoiceexe.pdf`.
 */
function firstForbiddenCharacter(path: string): string | undefined {
  for (const character of path) {
    const code = character.codePointAt(0) ?? 0;
    if (code === 0) return 'a NUL character (U+0000)';
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${unicodeName(code)})`;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
      return `a bidirectional text control (${unicodeName(code)})`;
  }
  return undefined;
}

function unicodeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function fail(message: string): NameCheck {
  return { ok: false, message };
}

function valueOrBadRequest(check: NameCheck, field: string): string {
  if (check.ok) return check.value;
  throw new HttpError('invalid_request', check.message, { details: [{ path: field, message: check.message }] });
}
