import { BlobKeyError } from './blob-store';

const MAX_KEY_BYTES = 1024; // S3's limit
const MAX_SEGMENT_BYTES = 255; // NAME_MAX of common filesystems
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

/** Throws BlobKeyError unless `key` follows the key rules of BlobStore (so no engine can be led outside its root). */
export function assertBlobKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new BlobKeyError(String(key), 'empty');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new BlobKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  if (FORBIDDEN.test(key)) throw new BlobKeyError(key, 'contains a control character or a backslash');
  if (key.startsWith('/')) throw new BlobKeyError(key, 'absolute');
  for (const segment of key.split('/')) {
    if (segment === '') throw new BlobKeyError(key, 'empty segment');
    if (segment === '.' || segment === '..') throw new BlobKeyError(key, `"${segment}" segment`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) throw new BlobKeyError(key, `segment longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
}

/** A listing or deletion prefix: `''` (everything) or a folder of keys, ending in `/`. */
export function assertBlobPrefix(prefix: string): void {
  if (prefix === '') return;
  if (!prefix.endsWith('/')) throw new BlobKeyError(prefix, 'a prefix must end with "/"');
  assertBlobKey(prefix.slice(0, -1));
}

/** Throws BlobKeyError for a prefix that would select every object: deletePrefix needs a folder. */
export function assertDeletablePrefix(prefix: string): void {
  if (prefix === '') throw new BlobKeyError(prefix, 'deletePrefix needs a folder, not everything');
  assertBlobPrefix(prefix);
}
