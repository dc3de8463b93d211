import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';

/** The first and last byte a ranged GET actually returned, from Content-Range (206) or Content-Length (200: range ignored). */
export function servedRange(contentRange: string | undefined, contentLength: number | undefined) {
  const match = contentRange && /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange);
  if (match) return { start: Number(match[1]), end: Number(match[2]) };
  return { start: 0, end: (contentLength ?? 0) - 1 };
}

/** Skips `skip` bytes then passes `take` bytes and ends, destroying the rest of `body` unread. */
export function sliceStream(body: Readable, skip: number, take: number): Readable {
  let toSkip = skip;
  let toTake = take;
  const slice = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (toTake === 0) return callback(); // already ended: drop what was still buffered
      const dropped = Math.min(toSkip, chunk.length);
      toSkip -= dropped;
      const kept = chunk.subarray(dropped, dropped + toTake);
      toTake -= kept.length;
      if (kept.length) this.push(kept);
      if (toTake === 0) {
        this.push(null);
        body.unpipe(slice);
        body.destroy();
      }
      callback();
    },
  });
  body.on('error', (error) => slice.destroy(error));
  slice.on('close', () => body.destroy());
  return body.pipe(slice);
}
