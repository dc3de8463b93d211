import { z } from 'zod';
import { byteCountSchema, isoTimestampSchema, namespaceVisibilitySchema } from './fields';

// Response bodies of the storage API (snake_case, as the service sends them). Timestamps are ISO 8601 strings.

export const namespaceSchema = z.object({
  name: z.string(),
  visibility: namespaceVisibilitySchema,
  owner_id: z.string(),
  file_count: byteCountSchema,
  bytes: byteCountSchema,
  created_at: isoTimestampSchema,
});

/** `GET /storage/namespaces` (the caller's own) and `GET /storage/admin/namespaces` (all). */
export const namespaceListResponseSchema = z.object({ namespaces: z.array(namespaceSchema) });

export const fileEntrySchema = z.object({
  namespace: z.string(),
  /** Full path inside the namespace (`a/b/c.txt`). */
  path: z.string(),
  /** Last segment of `path`. */
  name: z.string(),
  size: byteCountSchema,
  content_type: z.string(),
  /** Lower-case hex; also the ETag (quoted). */
  sha256: z.string(),
  created_at: isoTimestampSchema,
  modified_at: isoTimestampSchema,
});

/** `GET /storage/files`. */
export const fileListResponseSchema = z.object({
  files: z.array(fileEntrySchema),
  /** Immediate sub-folders of `prefix` (full prefixes ending in `/`) when `delimiter=/` was given; else empty. */
  folders: z.array(z.string()),
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: z.string().nullable(),
});

/** `GET /storage/admin/files`. */
export const adminFileListResponseSchema = z.object({ files: z.array(fileEntrySchema), next_cursor: z.string().nullable() });

export const shareSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  path: z.string(),
  /** `<storage origin>/storage/s/<id>?t=<secret>` from `POST` (shown once); without the secret in lists. */
  url: z.string(),
  expires_at: isoTimestampSchema,
  created_at: isoTimestampSchema,
});

/** `GET /storage/shares`. */
export const shareListResponseSchema = z.object({ shares: z.array(shareSchema) });

export const transferDirectionSchema = z.enum(['upload', 'download']);

/** Data of an SSE `progress` event on `GET /sse/progress?id=`. */
export const transferProgressSchema = z.object({
  id: z.string(),
  direction: transferDirectionSchema,
  bytes: byteCountSchema,
  total: byteCountSchema,
  done: z.boolean(),
  /** Why the transfer failed (then `done` is true). */
  error: z.string().optional(),
});

export type Namespace = z.infer<typeof namespaceSchema>;
export type NamespaceListResponse = z.infer<typeof namespaceListResponseSchema>;
export type FileEntry = z.infer<typeof fileEntrySchema>;
export type FileListResponse = z.infer<typeof fileListResponseSchema>;
export type AdminFileListResponse = z.infer<typeof adminFileListResponseSchema>;
export type Share = z.infer<typeof shareSchema>;
export type ShareListResponse = z.infer<typeof shareListResponseSchema>;
export type TransferDirection = z.infer<typeof transferDirectionSchema>;
export type TransferProgress = z.infer<typeof transferProgressSchema>;
