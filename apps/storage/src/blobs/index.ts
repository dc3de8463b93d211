export type { BlobStore, BlobSource, BlobWriteOptions, BlobWriteResult, BlobRange, BlobStat, BlobListEntry } from './blob-store';
export { BlobKeyError, BlobNotFoundError, BlobRangeError, BlobSizeMismatchError } from './blob-store';
export { blobStoreConfigShape, chooseBlobEngine, blobStoreConfigProblems } from './blob-store-config';
export type { BlobStoreConfig } from './blob-store-config';
export { createBlobStore } from './create-blob-store';
export { FsBlobStore } from './fs/fs-blob-store';
export type { FsBlobStoreOptions } from './fs/fs-blob-store';
// The s3 engine is not re-exported: createBlobStore loads it only when configured (import it from ./s3/s3-blob-store).
export type { S3BlobStoreOptions } from './s3/s3-blob-store';
