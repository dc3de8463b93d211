import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { BlobSizeMismatchError } from './blob-store';

/**
 * Passes bytes through while counting them and hashing them with sha256. With an expected size it fails as soon
 * as more arrive, and fails at the end when fewer did: it errors instead of ending, so no engine commits a short
 * object.
 */
export class MeasureStream extends Transform {
  private readonly hash = createHash('sha256');
  private received = 0;

  constructor(private readonly expectedSize?: number) {
    super();
  }

  /** Not `size`: lib-storage would read a `size` property as the body's total length. */
  get bytesReceived(): number {
    return this.received;
  }

  /** The hex digest; call once, after the stream finished. */
  digest(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.expectedSize !== undefined && this.received > this.expectedSize) {
      callback(new BlobSizeMismatchError(this.expectedSize, this.received));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.received !== this.expectedSize) {
      callback(new BlobSizeMismatchError(this.expectedSize, this.received));
      return;
    }
    callback();
  }
}
