import { randomBytes } from 'node:crypto';
import { flattened } from './flattened';

// A random per-process prefix plus a counter: unique across replicas and restarts, and costs one
// increment and a base-36 conversion per request instead of a UUID. The prefix and its '-' are one flat
// string, so an id is two pieces, not three, in each of the three strings it goes into (flattened.ts).
const prefix = flattened(`${randomBytes(6).toString('hex')}-`);
let counter = 0;

export function mintRequestId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return prefix + counter.toString(36);
}
