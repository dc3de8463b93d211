import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares secrets of any length in constant time (hashing first equalises the lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}
