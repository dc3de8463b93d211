/**
 * The head scanner's log slots (head-scanner.ts keepLogRequest): each holds the method, host and path of one request
 * until its access log line is written. A connection takes one when it dispatches a request and gives it back when
 * the line is written or the connection closes; with none free, a line is built from strings (access-log.ts).
 */
import { LOG_SLOTS } from './head-scanner';

const free = Int32Array.from({ length: LOG_SLOTS }, (_, i) => LOG_SLOTS - 1 - i);
let freeCount = LOG_SLOTS;

/** A free slot, or -1 when every one is held. */
export function acquireLogSlot(): number {
  return freeCount === 0 ? -1 : (free[--freeCount] as number);
}

export function releaseLogSlot(slot: number): void {
  free[freeCount++] = slot;
}

/** How many slots are free (for tests: a connection that closes must not keep one). */
export function freeLogSlots(): number {
  return freeCount;
}
