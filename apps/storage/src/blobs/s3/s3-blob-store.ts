import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, assertBlobPrefix, assertDeletablePrefix } from '../blob-key';
import { BlobNotFoundError, BlobRangeError } from '../blob-store';
import type { BlobListEntry, BlobRange, BlobSource, BlobStat, BlobStore, BlobWriteOptions, BlobWriteResult } from '../blob-store';
import { MeasureStream } from '../measure-stream';
import { isS3NotFound, s3Status } from './s3-errors';
import { servedRange, sliceStream } from './s3-range';

const MIB = 1024 * 1024;
const MAX_PARTS = 10_000; // S3's limit per multipart upload

export interface S3BlobStoreOptions {
  bucket: string;
  /** Any S3-compatible endpoint (MinIO, Ceph RGW, SeaweedFS); unset = AWS. */
  endpoint?: string;
  region: string;
  /** Unset = the SDK's default chain (environment, web identity, instance profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  /** Where this service's keys start inside a shared bucket: `''` or a folder ending in `/`. */
  keyPrefix?: string;
  /** Multipart part size; memory per write is about (queueSize + 1) × partSize. */
  partSizeBytes?: number;
  /** Parts uploaded in parallel per write. */
  queueSize?: number;
  /** Clock of sweepIncomplete (tests move it forward). */
  now?: () => number;
}

/** The scale engine: objects in an S3 bucket, large writes as multipart uploads that become visible on completion. */
export class S3BlobStore implements BlobStore {
  readonly engine = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly now: () => number;
  /** Object keys this store is writing right now (count per key): sweepIncomplete leaves their uploads alone. */
  private readonly writing = new Map<string, number>();

  constructor(options: S3BlobStoreOptions) {
    assertBlobPrefix(options.keyPrefix ?? '');
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      // Many S3-compatible servers reject the SDK's default trailing checksums; our own sha256 covers the bytes.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      expectContinueHeader: false,
    });
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
    this.partSize = Math.max(5 * MIB, options.partSizeBytes ?? 8 * MIB);
    this.queueSize = options.queueSize ?? 2;
    this.now = options.now ?? Date.now;
  }

  async write(key: string, source: BlobSource, options: BlobWriteOptions = {}): Promise<BlobWriteResult> {
    const objectKey = this.objectKey(key);
    options.signal?.throwIfAborted();
    const measure = new MeasureStream(options.size);
    // A short, long, failing or aborted source errors `measure` instead of ending it, so the upload never completes.
    const feeding = options.signal ? pipeline(source, measure, { signal: options.signal }) : pipeline(source, measure);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: objectKey, Body: measure, ContentType: options.contentType },
      partSize: Math.max(this.partSize, Math.ceil((options.size ?? 0) / MAX_PARTS)),
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    this.writing.set(objectKey, (this.writing.get(objectKey) ?? 0) + 1);
    try {
      const uploading = upload.done();
      uploading.catch((error: unknown) => measure.destroy(error as Error)); // stop reading a source nobody uploads
      const [fed, uploaded] = await Promise.allSettled([feeding, uploading]);
      // The source's own failure (or the abort) explains more than the upload's reaction to it.
      if (fed.status === 'rejected') throw fed.reason;
      if (uploaded.status === 'rejected') throw uploaded.reason;
      return { size: measure.bytesReceived, sha256: measure.digest() };
    } finally {
      const count = (this.writing.get(objectKey) ?? 1) - 1;
      if (count) this.writing.set(objectKey, count);
      else this.writing.delete(objectKey);
    }
  }

  async read(key: string, range?: BlobRange): Promise<Readable> {
    const Key = this.objectKey(key);
    if (range) checkRangeShape(key, range);
    try {
      const Range = range && `bytes=${range.start}-${range.end ?? ''}`;
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range }));
      const body = response.Body as Readable;
      if (!range) return body;
      // Some S3-compatible servers widen a range (s3rver answers bytes=0-0 with everything): return what was asked.
      const served = servedRange(response.ContentRange, response.ContentLength);
      const end = Math.min(range.end ?? served.end, served.end);
      if (served.start === range.start && served.end === end) return body;
      if (served.start > range.start) {
        body.destroy();
        throw new Error(`S3 served bytes ${served.start}-${served.end} for ${Range}`);
      }
      return sliceStream(body, range.start - served.start, end - range.start + 1);
    } catch (error) {
      if (isS3NotFound(error)) throw new BlobNotFoundError(key);
      if (s3Status(error) === 416) throw new BlobRangeError(key, range ?? { start: 0 });
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  async *list(prefix: string): AsyncIterable<BlobListEntry> {
    assertBlobPrefix(prefix);
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix + prefix, ContinuationToken }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        const key = object.Key.slice(this.keyPrefix.length);
        yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertDeletablePrefix(prefix);
    let deleted = 0;
    let batch: string[] = [];
    const flush = async () => {
      const Objects = batch.map((key) => ({ Key: this.keyPrefix + key }));
      batch = [];
      const result = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects, Quiet: true } }));
      const failed = result.Errors ?? [];
      if (failed.length) throw new Error(`S3 kept ${failed.length} objects: ${failed[0]?.Code} ${failed[0]?.Message}`);
      deleted += Objects.length;
    };
    for await (const entry of this.list(prefix)) {
      batch.push(entry.key);
      if (batch.length === 1000) await flush(); // DeleteObjects takes at most 1,000 keys
    }
    if (batch.length) await flush();
    return deleted;
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    let removed = 0;
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.keyPrefix, KeyMarker, UploadIdMarker }),
      );
      for (const upload of page.Uploads ?? []) {
        const { Key, UploadId, Initiated } = upload;
        if (!Key || !UploadId || this.writing.has(Key)) continue;
        if (Initiated && this.now() - Initiated.getTime() <= olderThanMs) continue;
        try {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId }));
          removed++;
        } catch (error) {
          if (!isS3NotFound(error)) throw error; // gone already (completed or aborted elsewhere)
        }
      }
      ({ NextKeyMarker: KeyMarker, NextUploadIdMarker: UploadIdMarker } = page.IsTruncated ? page : {});
    } while (KeyMarker);
    return removed;
  }

  async probe(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    assertBlobKey(key);
    return this.keyPrefix + key;
  }
}

function checkRangeShape(key: string, range: BlobRange): void {
  const { start, end = start } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) throw new BlobRangeError(key, range);
}
