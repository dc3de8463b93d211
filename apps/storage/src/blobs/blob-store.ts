import type { Readable } from 'node:stream';

/** Bytes to store: a Node stream (an HTTP request, a file) or any async iterable of chunks. */
export type BlobSource = Readable | AsyncIterable<Uint8Array>;

export interface BlobWriteOptions {
  /** Bytes the caller announced (Content-Length, tus Upload-Length): a stream of any other length fails and stores nothing. */
  size?: number;
  /** Kept by engines that keep it (s3); the service's database is the authority either way. */
  contentType?: string;
  /** Aborting before the write commits fails it with an AbortError and stores nothing. */
  signal?: AbortSignal;
}

export interface BlobWriteResult {
  size: number;
  /** Lowercase hex sha256 of the stored bytes, computed while they streamed. */
  sha256: string;
}

/** A byte range, both ends inclusive as in HTTP `Range`; `end` past the last byte (or absent) means "to the end". */
export interface BlobRange {
  start: number;
  end?: number;
}

export interface BlobStat {
  size: number;
  modifiedAt: Date;
}

export interface BlobListEntry extends BlobStat {
  key: string;
}

/**
 * Where the storage service keeps file bytes. Keys are opaque to the engine (the service chooses them, e.g.
 * `<namespaceId>/<fileId>`): `/`-separated segments, no empty, `.` or `..` segment, no leading `/`, no control
 * characters or backslash, at most 1,024 bytes and 255 bytes per segment. A key cannot also be the folder of
 * another key (the fs engine stores keys as paths). Anything else is refused with a BlobKeyError.
 */
export interface BlobStore {
  /** Which engine this is, for logs and /readyz. */
  readonly engine: 'fs' | 's3';

  /**
   * Streams `source` into `key` with bounded memory. The bytes become visible all at once when the write
   * resolves, replacing any previous object atomically (a reader sees the old bytes or the new ones, never a
   * mix). A write that fails or is aborted leaves nothing visible and the previous object untouched.
   */
  write(key: string, source: BlobSource, options?: BlobWriteOptions): Promise<BlobWriteResult>;

  /** The object's bytes (or a range of them) as a stream. Rejects with BlobNotFoundError, or BlobRangeError when `start` is past the end. */
  read(key: string, range?: BlobRange): Promise<Readable>;

  /** Size and time of the object, or undefined when there is none. */
  stat(key: string): Promise<BlobStat | undefined>;

  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;

  /** Every object whose key starts with `prefix` (`''` for all, otherwise a folder ending in `/`), in no set order. */
  list(prefix: string): AsyncIterable<BlobListEntry>;

  /** Removes every object under the folder `prefix` (must end in `/`, so `ns1/` never touches `ns10/`); returns how many. */
  deletePrefix(prefix: string): Promise<number>;

  /**
   * Removes incomplete data (fs: temporary files; s3: multipart uploads never completed) older than `olderThanMs`,
   * left by a crashed process or a write that could not clean up. Writes this store is still running are kept
   * whatever their age. Returns how many items were removed.
   */
  sweepIncomplete(olderThanMs: number): Promise<number>;

  /** Resolves when the engine can be used (fs: the root is writable; s3: the bucket answers). */
  probe(): Promise<void>;

  /** Releases sockets and handles. */
  close(): Promise<void>;
}

/** The key (or prefix) breaks the key rules; the message names the problem. */
export class BlobKeyError extends Error {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super(`invalid blob key ${JSON.stringify(key.slice(0, 100))}: ${problem}`);
    this.name = 'BlobKeyError';
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no blob at ${JSON.stringify(key)}`);
    this.name = 'BlobNotFoundError';
  }
}

/** The range starts past the last byte (HTTP 416). */
export class BlobRangeError extends Error {
  constructor(
    readonly key: string,
    readonly range: BlobRange,
  ) {
    super(`range ${range.start}-${range.end ?? ''} is outside blob ${JSON.stringify(key)}`);
    this.name = 'BlobRangeError';
  }
}

/** The stream ended with a different number of bytes than `size` announced. */
export class BlobSizeMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`expected ${expected} bytes, received ${received > expected ? 'more' : received}`);
    this.name = 'BlobSizeMismatchError';
  }
}
