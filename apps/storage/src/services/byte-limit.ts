import { Transform, type TransformCallback } from 'node:stream';
import { HttpError } from '@edd/http';

/**
 * Passes bytes through, counting them: past `limit` it fails with a 413 (so nothing is stored, since the blob store
 * commits only a complete stream), and each chunk is reported to `onBytes` (progress).
 */
export function byteLimit(limit: number, explain: () => string, onBytes: (n: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) return callback(new HttpError('payload_too_large', explain()));
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}
