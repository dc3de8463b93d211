import { env } from '@edd/config';
import { assertBlobPrefix } from './blob-key';
import type { z } from 'zod';

/** The variables of the blob engines; the service spreads this into its config shape. */
export const blobStoreConfigShape = {
  /** `fs`, `s3`, or `auto`: s3 when STORAGE_S3_BUCKET is set, fs otherwise. */
  STORAGE_BACKEND: env.oneOf(['auto', 'fs', 's3'] as const).default('auto'),
  /** The fs engine's root (relative to the working directory). */
  STORAGE_DIR: env.string().default('.data/storage'),
  STORAGE_S3_BUCKET: env.string().optional(),
  /** Any S3-compatible endpoint (MinIO, Ceph RGW, SeaweedFS); unset = AWS. */
  STORAGE_S3_ENDPOINT: env.url().optional(),
  STORAGE_S3_REGION: env.string().default('us-east-1'),
  /** Both or neither; neither = the AWS SDK's default chain (environment, web identity, instance profile). */
  STORAGE_S3_ACCESS_KEY_ID: env.string().optional(),
  STORAGE_S3_SECRET_ACCESS_KEY: env.string().optional(),
  /** `bucket` in the path instead of the host name: what MinIO and most self-hosted servers need. */
  STORAGE_S3_FORCE_PATH_STYLE: env.bool().default(false),
  /** A folder inside a shared bucket (`storage/`); unset = the bucket's root. */
  STORAGE_S3_KEY_PREFIX: env.string().optional(),
  /** Multipart part size; memory per upload is about (queue size + 1) × part size. */
  STORAGE_S3_PART_SIZE_MB: env.int(5, 5120).default(8),
  /** Parts of one upload sent in parallel. */
  STORAGE_S3_QUEUE_SIZE: env.int(1, 16).default(2),
};

export type BlobStoreConfig = z.infer<z.ZodObject<typeof blobStoreConfigShape>>;

/** Which engine the configuration selects, and why (for the start-up log line). */
export function chooseBlobEngine(config: BlobStoreConfig): { engine: 'fs' | 's3'; reason: string } {
  if (config.STORAGE_BACKEND !== 'auto') return { engine: config.STORAGE_BACKEND, reason: `STORAGE_BACKEND=${config.STORAGE_BACKEND}` };
  return config.STORAGE_S3_BUCKET
    ? { engine: 's3', reason: 'STORAGE_S3_BUCKET is set (STORAGE_BACKEND=auto)' }
    : { engine: 'fs', reason: 'STORAGE_S3_BUCKET is not set (STORAGE_BACKEND=auto)' };
}

/** What no single variable can check. */
export function blobStoreConfigProblems(config: BlobStoreConfig): string[] {
  const problems: string[] = [];
  if (chooseBlobEngine(config).engine === 's3' && !config.STORAGE_S3_BUCKET)
    problems.push('STORAGE_S3_BUCKET: required when STORAGE_BACKEND=s3');
  if (!config.STORAGE_S3_ACCESS_KEY_ID !== !config.STORAGE_S3_SECRET_ACCESS_KEY)
    problems.push('STORAGE_S3_ACCESS_KEY_ID, STORAGE_S3_SECRET_ACCESS_KEY: set both or neither');
  try {
    assertBlobPrefix(config.STORAGE_S3_KEY_PREFIX ?? '');
  } catch (error) {
    problems.push(`STORAGE_S3_KEY_PREFIX: ${(error as Error).message}`);
  }
  return problems;
}
