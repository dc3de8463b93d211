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
};

export type StorageConfig = ServiceConfig & z.infer<z.ZodObject<typeof storageConfigShape>>;

/** The file size limit in force: STORAGE_MAX_FILE_BYTES, never more than the quota. */
export function maxFileBytes(config: StorageConfig): number {
  return Math.min(config.STORAGE_MAX_FILE_BYTES ?? config.STORAGE_QUOTA_BYTES, config.STORAGE_QUOTA_BYTES);
}
