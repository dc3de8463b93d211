import { z } from 'zod';

// Field rules of the storage API, shared by the server's validation and the clients' types.

export const NAMESPACE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/**
 * Words that follow `/storage/` in the service's own routes: a namespace so named would make `/storage/download/x`
 * mean two things. apps/storage's domain/names.ts lists the same words; `s` is here too because `/storage/s/{id}` is
 * the share link route.
 */
export const RESERVED_NAMESPACE_NAMES = ['namespaces', 'files', 'download', 'shares', 'uploads', 'admin', 's'] as const;
/** Longest file path in UTF-8 bytes (S3's object key limit); the server counts the bytes, the schema the characters. */
export const MAX_FILE_PATH_BYTES = 1024;
export const NAMESPACE_VISIBILITIES = ['private', 'public'] as const;
/** Share links live from one minute to 30 days. */
export const SHARE_EXPIRES_IN_MIN_SECONDS = 60;
export const SHARE_EXPIRES_IN_MAX_SECONDS = 30 * 24 * 60 * 60;
/** `limit` of `GET /storage/files`. */
export const FILE_LIST_LIMIT_MAX = 1000;
export const FILE_LIST_LIMIT_DEFAULT = 200;
/** A transfer id (`?id=` / `X-Transfer-Id`): URL- and Redis-key-safe, made by the client (a UUID fits). */
export const TRANSFER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Namespace names: the pattern, plus no `..` (reads as traversal to every log reader; S3 forbids it too), no trailing
 * `.` (Windows and SMB strip it, so `photos.` and `photos` would collide) and none of the route words.
 */
export const namespaceNameSchema = z
  .string({ error: 'namespace name is required' })
  .regex(
    NAMESPACE_NAME_PATTERN,
    'namespace name must start with a lowercase letter or digit and contain only a-z, 0-9, ".", "_" and "-" (at most 63)',
  )
  .refine((name) => !name.includes('..'), 'namespace name must not contain ".."')
  .refine((name) => !name.endsWith('.'), 'namespace name must not end with "."')
  .refine((name) => !(RESERVED_NAMESPACE_NAMES as readonly string[]).includes(name), 'this namespace name is reserved');

export const namespaceVisibilitySchema = z.enum(NAMESPACE_VISIBILITIES, { error: 'visibility must be private or public' });
export type NamespaceVisibility = z.infer<typeof namespaceVisibilitySchema>;

/** A file's path inside its namespace (`a/b/c.txt`); the server applies the full rules (segments, control characters). */
export const filePathSchema = z.string().min(1, 'file path is required').max(MAX_FILE_PATH_BYTES);

export const transferIdSchema = z.string().regex(TRANSFER_ID_PATTERN, 'must be 8 to 64 characters of A-Z, a-z, 0-9, "_" and "-"');

/** ISO 8601 timestamps, as the storage service sends them. */
export const isoTimestampSchema = z.string();

export const byteCountSchema = z.number().int().min(0);
