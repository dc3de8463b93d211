import { describeBlobStoreContract } from '../blob-store.contract';
import { MIB } from '../test/byte-sources';
import { S3BlobStore } from './s3-blob-store';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './testing';

const PART = 5 * MIB; // S3's smallest part, so a few MiB already take the multipart path

describeBlobStoreContract('s3 (on s3rver)', async () => {
  const server = await startLocalS3();
  return {
    open: (options) =>
      new S3BlobStore({
        endpoint: server.endpoint,
        bucket: server.bucket,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: LOCAL_S3_CREDENTIALS,
        keyPrefix: 'blobs/',
        partSizeBytes: PART,
        queueSize: 2,
        now: options?.now,
      }),
    // Two parts in flight and a third taken: the first part's upload (so the multipart upload) surely exists.
    inProgressBytes: 3 * PART + 1,
    limitations: {
      readerDuringOverwrite:
        's3rver rewrites an object file in place, so a GET it is still serving sees the new bytes; S3 serves a GET from the version it started with',
      sweepIncomplete: 's3rver does not implement ListMultipartUploads or AbortMultipartUpload',
    },
    close: () => server.stop(),
  };
});
