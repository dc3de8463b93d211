import { z } from 'zod';
import {
  FILE_LIST_LIMIT_DEFAULT,
  FILE_LIST_LIMIT_MAX,
  filePathSchema,
  namespaceNameSchema,
  namespaceVisibilitySchema,
  SHARE_EXPIRES_IN_MAX_SECONDS,
  SHARE_EXPIRES_IN_MIN_SECONDS,
} from './fields';

// Request bodies and queries of the storage API. The server parses with these; clients send `z.input` of them.

/** `POST /storage/namespaces`. */
export const createNamespaceRequestSchema = z.object({
  name: namespaceNameSchema,
  /** Defaults to `private`. */
  visibility: namespaceVisibilitySchema.default('private'),
});

/** `PUT /storage/namespaces/{name}`. */
export const updateNamespaceRequestSchema = z.object({ visibility: namespaceVisibilitySchema });

/** `GET /storage/files` query (strings on the wire: `limit` is coerced). */
export const fileListQuerySchema = z.object({
  namespace: namespaceNameSchema,
  /** A folder (`photos/2024/`) or any key prefix; empty for the namespace's root. */
  prefix: z.string().max(1024).default(''),
  /** With `/`, only the files directly in `prefix` plus its immediate sub-folders. */
  delimiter: z.literal('/').optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(FILE_LIST_LIMIT_MAX).default(FILE_LIST_LIMIT_DEFAULT),
});

/** `POST /storage/shares`. */
export const createShareRequestSchema = z.object({
  namespace: namespaceNameSchema,
  path: filePathSchema,
  /** Seconds, from one minute to 30 days. */
  expires_in: z
    .number()
    .int()
    .min(SHARE_EXPIRES_IN_MIN_SECONDS, 'expires_in must be at least 60 seconds')
    .max(SHARE_EXPIRES_IN_MAX_SECONDS, 'expires_in must be at most 30 days'),
});

/**
 * Metadata of a tus upload at `/storage/uploads` (tus sends strings): where the finished upload lands.
 * `overwrite` is `"true"` to replace an existing file.
 */
export const tusUploadMetadataSchema = z.object({
  namespace: namespaceNameSchema,
  path: filePathSchema,
  filetype: z.string().max(255).optional(),
  overwrite: z.enum(['true', 'false']).optional(),
});

export type CreateNamespaceRequest = z.input<typeof createNamespaceRequestSchema>;
export type UpdateNamespaceRequest = z.input<typeof updateNamespaceRequestSchema>;
export type FileListQuery = z.input<typeof fileListQuerySchema>;
export type CreateShareRequest = z.input<typeof createShareRequestSchema>;
export type TusUploadMetadata = z.input<typeof tusUploadMetadataSchema>;
