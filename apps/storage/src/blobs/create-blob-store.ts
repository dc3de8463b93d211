import { resolve } from 'node:path';
import { ConfigError } from '@edd/config';
import type { Logger } from '@edd/logger';
import type { BlobStore } from './blob-store';
import { blobStoreConfigProblems, chooseBlobEngine } from './blob-store-config';
import type { BlobStoreConfig } from './blob-store-config';
import { FsBlobStore } from './fs/fs-blob-store';

const MIB = 1024 * 1024;

/**
 * The engine the configuration selects, announced with one log line saying which and why. Rejects with ConfigError.
 * The s3 engine (the AWS SDK: ~10 MB of RSS) is only loaded when it is the one selected.
 */
export async function createBlobStore(config: BlobStoreConfig, logger: Pick<Logger, 'info'>): Promise<BlobStore> {
  const problems = blobStoreConfigProblems(config);
  if (problems.length) throw new ConfigError(problems);
  const { engine, reason } = chooseBlobEngine(config);
  if (engine === 'fs') {
    const root = resolve(config.STORAGE_DIR);
    logger.info(`blob store: fs at ${root}, because ${reason}`, { engine, reason, root });
    return new FsBlobStore({ root });
  }
  const bucket = config.STORAGE_S3_BUCKET as string; // blobStoreConfigProblems made sure
  const endpoint = config.STORAGE_S3_ENDPOINT;
  logger.info(`blob store: s3 bucket ${bucket} at ${endpoint ?? 'AWS'}, because ${reason}`, { engine, reason, bucket, endpoint });
  const { S3BlobStore } = await import('./s3/s3-blob-store');
  const accessKeyId = config.STORAGE_S3_ACCESS_KEY_ID;
  const secretAccessKey = config.STORAGE_S3_SECRET_ACCESS_KEY;
  return new S3BlobStore({
    bucket,
    endpoint,
    region: config.STORAGE_S3_REGION,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: config.STORAGE_S3_FORCE_PATH_STYLE,
    keyPrefix: config.STORAGE_S3_KEY_PREFIX ?? '',
    partSizeBytes: config.STORAGE_S3_PART_SIZE_MB * MIB,
    queueSize: config.STORAGE_S3_QUEUE_SIZE,
  });
}
