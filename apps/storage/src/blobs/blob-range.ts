import { BlobRangeError } from './blob-store';
import type { BlobRange } from './blob-store';

/** The inclusive byte offsets to read from an object of `size` bytes, `end` clamped to the last byte as HTTP does. */
export function resolveBlobRange(key: string, size: number, range: BlobRange): { start: number; end: number } {
  const { start, end = size - 1 } = range;
  const valid = Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start;
  if (!valid || start >= size) throw new BlobRangeError(key, range);
  return { start, end: Math.min(end, size - 1) };
}
