import { randomBytes } from 'node:crypto';

// A random per-process prefix plus a counter: unique across replicas and restarts, and costs one
// increment and a base-36 conversion per request instead of a UUID.
const prefix = randomBytes(6).toString('hex');
let counter = 0;

export function mintRequestId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}-${counter.toString(36)}`;
}
