/**
 * Host values read lately, each with its host name, as flat strings: a client sends the same Host on every request,
 * and a value whose bytes are found here is returned as the same string objects as before.
 *
 * Why: a Host value sliced from the head's text is a new V8 sliced string once it is 13 or more characters long, and
 * every comparison of one with another string (the route table's last host) goes through V8's runtime
 * (`String::SlowEquals`): ~470 instructions a request under callgrind (gateway-instructions.ts --top) for a
 * 21-character host. Here the head scanner compares the bytes with those kept, eight at a time, and the same string
 * object each time is equal to the last by identity.
 *
 * Direct-mapped by length and first byte: a miss costs a flat copy of the value (and of the name when it differs).
 */
import { HOST_VALUE_SLOTS, keepHostBytes, MAX_HOST_VALUE, sameHostBytes } from './head-scanner';
import { flattened } from './flattened';

const values: string[] = new Array<string>(HOST_VALUE_SLOTS).fill('');
const names: string[] = new Array<string>(HOST_VALUE_SLOTS).fill('');

function slotOf(bytes: Uint8Array, from: number, to: number): number {
  return ((bytes[from] as number) + (to - from) * 7) & (HOST_VALUE_SLOTS - 1);
}

/**
 * The slot holding the Host value at bytes[from, to) of the head last scanned (`bytes` its input), or -1;
 * hostValueAt and hostNameAt read it.
 */
export function findHostValue(bytes: Uint8Array, from: number, to: number): number {
  const slot = slotOf(bytes, from, to);
  const length = to - from;
  if ((values[slot] as string).length !== length || length === 0) return -1;
  return sameHostBytes(slot, from, to) ? slot : -1;
}

export function hostValueAt(slot: number): string {
  return values[slot] as string;
}

export function hostNameAt(slot: number): string {
  return names[slot] as string;
}

/**
 * Keeps `value`, the latin1 text of the Host value at bytes[from, to) of the head last scanned, and its host name
 * `name`, in place of what shared the slot; returns the slot (the caller takes the kept strings from the first
 * request on, so a comparison with what it saw last is by identity), or -1 for a value not kept.
 */
export function keepHostValue(bytes: Uint8Array, from: number, to: number, value: string, name: string): number {
  if (to - from > MAX_HOST_VALUE || to === from) return -1;
  const slot = slotOf(bytes, from, to);
  keepHostBytes(slot, from, to);
  const flatValue = flattened(value);
  values[slot] = flatValue;
  names[slot] = name === value ? flatValue : flattened(name);
  return slot;
}
