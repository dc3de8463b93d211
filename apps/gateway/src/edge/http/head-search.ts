import { latin1Slice } from './buffer-latin1';

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Chunks up to this size (every read the owned-buffer reads copy out) are searched for the end of their head as a
 * latin1 string: one copy into V8, whose `indexOf` then runs without a call into C++, and the head parsers read
 * that string instead of decoding the head again. `Buffer#indexOf` plus `toString('latin1')` cost ~1,400
 * instructions more per proxied request, two heads (tools/bench/gateway-instructions.ts --top: Node's SearchString,
 * memchr, the calls into C++, the head sliced off). Larger chunks (a head with a large body behind it) are searched
 * as bytes, so no body is copied into a string.
 */
export const TEXT_SEARCH_LIMIT = 4 * 1024;

/** `buf` as latin1 text when it is small enough to be searched as a string, else undefined. */
export function searchableText(buf: Buffer): string | undefined {
  return buf.length <= TEXT_SEARCH_LIMIT ? latin1Slice(buf, 0, buf.length) : undefined;
}

/** The index of the first "\r\n\r\n" in `buf` at or after `from`, or -1; `text` is searchableText(buf). */
export function headEndIn(buf: Buffer, text: string | undefined, from: number): number {
  return text === undefined ? buf.indexOf(CRLFCRLF, from) : text.indexOf('\r\n\r\n', from);
}
