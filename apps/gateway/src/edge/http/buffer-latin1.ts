/**
 * Typed access to Buffer's per-encoding prototype methods (`latin1Write`, `latin1Slice`, `utf8Write`): native
 * functions that Buffer#write and Buffer#toString reach only after normalising their arguments (encoding name
 * lookup, offset/length checks and defaults). On the hot path the encoding and bounds are known, so calling the
 * method directly saves that work on every head and log line. Node has had them since v0.x; they are not in
 * @types/node, hence the wrappers.
 *
 * Bounds are the caller's: `latin1Write`/`utf8Write` write at most `buf.length - offset` bytes (never past the
 * end) and throw a RangeError when `offset` is beyond it, like Buffer#write.
 */
interface EncodingMethods {
  latin1Write(text: string, offset: number, length: number): number;
  utf8Write(text: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
}

// Called as methods of the buffer, as Buffer#write does: V8 then calls the native function directly (its fast API
// call path); through Function.prototype.call it took the generic one (Builtin_HandleApiCall, ~150 more).

/** Writes `text`'s UTF-16 units as bytes (each < 256) at `offset`; returns the bytes written. */
export function latin1Write(buf: Buffer, text: string, offset: number): number {
  return (buf as unknown as EncodingMethods).latin1Write(text, offset, buf.length - offset);
}

/** Writes `text` as UTF-8 at `offset` (whole characters only, as Buffer#write); returns the bytes written. */
export function utf8Write(buf: Buffer, text: string, offset: number): number {
  return (buf as unknown as EncodingMethods).utf8Write(text, offset, buf.length - offset);
}

/** `buf[start..end)` as a string of one character per byte. */
export function latin1Slice(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as EncodingMethods).latin1Slice(start, end);
}
