import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A byte stream as lines without their newline; ends when the stream ends or the signal aborts. */
export async function* linesOf(stream: Readable, signal: AbortSignal): AsyncIterable<string> {
  if (signal.aborted) return;
  const onAbort = () => stream.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (signal.aborted) return;
      yield line;
    }
  } catch (error) {
    // A stream destroyed by the abort is how following stops, not a failure.
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    lines.close();
    stream.destroy();
  }
}
