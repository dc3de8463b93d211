import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { FileEntry } from '@edd/api-contracts';
import { HttpError } from '@edd/http';
import { enqueueEvent, type Queryable } from '@edd/outbox';
import { maxFileBytes } from '../config';
import type { StorageDeps } from '../context';
import { findFile, insertFile, replaceFile, toFileEntry, usageOf, type FileRow } from '../data/files';
import type { NamespaceRow } from '../data/namespaces';
import { uploadAllowance } from '../domain/quota';
import type { ProgressReporter } from '../progress/progress-reporter';
import { byteLimit } from './byte-limit';
import { newId } from './ids';

export interface StoreRequest {
  namespace: NamespaceRow;
  path: string;
  contentType: string;
  overwrite: boolean;
  /** Content-Length of a raw body, or X-File-Size: checked against the limits before a byte is stored. */
  declaredSize?: number;
  /** The exact length the body must have (a raw body's Content-Length); another length stores nothing. */
  exactSize?: number;
  source: Readable;
  progress: ProgressReporter;
  /** Fires when the client goes away: the write is abandoned and nothing stays. */
  signal: AbortSignal;
  /** Runs in the transaction that commits the file (a tus upload records that it became this file). */
  inCommit?: (client: Queryable) => Promise<void>;
}

/** Refuses before any byte is read: an existing path without overwrite, a declared size over the limits. */
export async function precheckUpload(deps: StorageDeps, request: Omit<StoreRequest, 'source' | 'progress' | 'signal' | 'inCommit'>) {
  const existing = await findFile(deps.db, request.namespace.id, request.path);
  if (existing && !request.overwrite) throw fileExists(request.path);
  const allowance = uploadAllowance({
    quota: deps.config.STORAGE_QUOTA_BYTES,
    used: await usageOf(deps.db, request.namespace.ownerId),
    maxFile: maxFileBytes(deps.config),
    replacing: existing?.size ?? 0,
  });
  if (request.declaredSize !== undefined && request.declaredSize > allowance.bytes)
    throw new HttpError('payload_too_large', allowance.explain(request.declaredSize));
  return allowance;
}

/**
 * Streams the bytes under a NEW blob key, then in one transaction creates or swaps the row and enqueues the event,
 * then removes the replaced bytes. A reader sees the old file or the new one, never a mix; a failure at any step
 * (client gone, limit passed, path taken meanwhile) leaves no row and no blob.
 */
export async function storeFile(deps: StorageDeps, request: StoreRequest): Promise<FileEntry> {
  const allowance = await precheckUpload(deps, request);
  const blobKey = `${request.namespace.id}/${newId(24)}`;
  const limited = byteLimit(
    allowance.bytes,
    () => allowance.explain(request.declaredSize),
    (n) => request.progress.advance(n),
  );
  const piping = pipeline(request.source, limited, { signal: request.signal });
  const writing = deps.blobs.write(blobKey, limited, { size: request.exactSize, contentType: request.contentType, signal: request.signal });
  // Whichever side fails first stops the other, so neither waits on a stream nobody reads or writes any more.
  writing.catch((error: unknown) => limited.destroy(error instanceof Error ? error : new Error(String(error))));
  const [piped, written] = await Promise.allSettled([piping, writing]);
  if (piped.status === 'rejected' || written.status === 'rejected') {
    await deps.blobs.delete(blobKey).catch(() => undefined);
    // The limiter's 413 may surface as the pipeline's or the store's error: answer with it either way.
    if (limited.errored instanceof HttpError) throw limited.errored;
    throw piped.status === 'rejected' ? piped.reason : (written as PromiseRejectedResult).reason;
  }
  const stored = written.value;
  let result: { file: FileRow; replaced?: string };
  try {
    result = await commit(deps, request, blobKey, stored);
  } catch (error) {
    await deps.blobs.delete(blobKey).catch(() => undefined);
    throw error;
  }
  if (result.replaced) {
    await deps.blobs
      .delete(result.replaced)
      .catch((error: unknown) => deps.logger.warn('replaced blob not removed (orphan)', { key: result.replaced, error: String(error) }));
  }
  return toFileEntry(request.namespace.name, result.file);
}

async function commit(deps: StorageDeps, request: StoreRequest, blobKey: string, stored: { size: number; sha256: string }) {
  const { namespace } = request;
  return deps.db.tx(async (client) => {
    // One writer per user at a time from here: the quota re-check below cannot race another upload's commit.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`storage-quota:${namespace.ownerId}`]);
    const { rows } = await client.query<{ deleting: boolean }>('SELECT deleting FROM namespaces WHERE id = $1 FOR SHARE', [namespace.id]);
    if (!rows[0] || rows[0].deleting) throw new HttpError('not_found', 'namespace not found');
    const existing = await findFile(client, namespace.id, request.path, { forUpdate: true });
    if (existing && !request.overwrite) throw fileExists(request.path);
    const allowance = uploadAllowance({
      quota: deps.config.STORAGE_QUOTA_BYTES,
      used: await usageOf(client, namespace.ownerId),
      maxFile: maxFileBytes(deps.config),
      replacing: existing?.size ?? 0,
    });
    if (stored.size > allowance.bytes) throw new HttpError('payload_too_large', allowance.explain(stored.size));
    const next = { blobKey, size: stored.size, sha256: stored.sha256, contentType: request.contentType };
    const file = existing
      ? await replaceFile(client, existing.id, next)
      : await insertFile(client, { id: newId(), namespaceId: namespace.id, path: request.path, ...next });
    const payload = {
      namespace: namespace.name,
      path: file.path,
      size: file.size,
      sha256: file.sha256,
      contentType: file.contentType,
      ownerId: namespace.ownerId,
    };
    await enqueueEvent(client, 'storage.file.uploaded', payload);
    if (file.size > deps.config.STORAGE_NOTIFY_MIN_BYTES) {
      await enqueueEvent(client, 'notify', {
        notificationId: randomUUID(),
        userId: namespace.ownerId,
        title: 'Upload complete',
        message: `${file.path} (${Math.round(file.size / 1e6)} MB) is stored in ${namespace.name}.`,
        category: 'storage',
        link: `/storage/${namespace.name}`,
        source: 'storage',
      });
    }
    await request.inCommit?.(client);
    return { file, replaced: existing?.blobKey };
  });
}

function fileExists(path: string): HttpError {
  return new HttpError('conflict', `a file already exists at ${path}; add ?overwrite=true to replace it`);
}
