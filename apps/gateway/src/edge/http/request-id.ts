import { randomBytes } from 'node:crypto';
import { flattened } from './flattened';

// A random per-process prefix plus a counter: unique across replicas and restarts, and costs one
// increment and a base-36 conversion per request instead of a UUID. The prefix and its '-' are one flat
// string, so an id is two pieces, not three, in each of the three strings it goes into (flattened.ts).
/** What every minted id starts with; the rest is its number in base 36 (the head scanner writes it so too: head-scanner.ts). */
export const MINTED_ID_PREFIX = flattened(`${randomBytes(6).toString('hex')}-`);
let counter = 0;

/** The number of the next minted id, from 1; it wraps to 1 after 2^53 - 2 ids, so 0 stays "no minted id". */
export function nextRequestNumber(): number {
  counter = counter === Number.MAX_SAFE_INTEGER - 1 ? 1 : counter + 1;
  return counter;
}

/** The minted id of number `n` (nextRequestNumber). */
export function mintedRequestId(n: number): string {
  return MINTED_ID_PREFIX + n.toString(36);
}
