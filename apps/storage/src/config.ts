import { env } from '@edd/config';
import type { ServiceConfig } from '@edd/config';
import type { z } from 'zod';
import { blobStoreConfigShape } from './blobs';

const GIB = 1024 * 1024 * 1024;

/** Storage's own variables, on top of serviceConfigShape (startService's `configShape`). */
export const storageConfigShape = {
  ...blobStoreConfigShape,
  /** Bytes one user may store across their namespaces. */
  STORAGE_QUOTA_BYTES: env.int(0).default(10 * GIB),
  /** Largest single file; unset = the quota. */
  STORAGE_MAX_FILE_BYTES: env.int(0).optional(),
  /** The origin share links point at (`https://storage.<domain>`); unset = the request's own origin. */
  STORAGE_PUBLIC_URL: env.url().optional(),
  /** Temporary data a killed write left (fs `incomplete/`, s3 multipart uploads) is removed once this old; the sweep runs at start and this often. */
  STORAGE_SWEEP_AFTER_MS: env.int(1000).default(60 * 60 * 1000),
  /** A completed upload larger than this notifies its owner (issue 9: more than 100 MB). */
  STORAGE_NOTIFY_MIN_BYTES: env.int(0).default(100 * 1000 * 1000),
};

export type StorageConfig = ServiceConfig & z.infer<z.ZodObject<typeof storageConfigShape>>;

/** The file size limit in force: STORAGE_MAX_FILE_BYTES, never more than the quota. */
export function maxFileBytes(config: StorageConfig): number {
  return Math.min(config.STORAGE_MAX_FILE_BYTES ?? config.STORAGE_QUOTA_BYTES, config.STORAGE_QUOTA_BYTES);
}
