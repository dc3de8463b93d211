import type { FileListQuery } from './storage-types';

// The URLs of the storage API, built in one place: namespaces and file paths are user text and must be encoded
// segment by segment (a `?` or `#` in a file name would otherwise end the path).

/** `a/b c/d#1.txt` -> `a/b%20c/d%231.txt`: each segment encoded, the folder separators kept. */
export function encodeFilePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `/storage/{ns}/{path...}`: where a file is uploaded, read inline, or deleted. */
export function filePath(namespace: string, path: string): string {
  return `/storage/${encodeURIComponent(namespace)}/${encodeFilePath(path)}`;
}

/** `/storage/download/{ns}/{path...}`: the same file as an attachment. */
export function downloadPath(namespace: string, path: string): string {
  return `/storage/download/${encodeURIComponent(namespace)}/${encodeFilePath(path)}`;
}

/** `/storage/files?...` with only the parameters that were given (an empty prefix is the root). */
export function fileListPath(query: FileListQuery): string {
  const params = new URLSearchParams({ namespace: query.namespace });
  if (query.prefix) params.set('prefix', query.prefix);
  if (query.delimiter) params.set('delimiter', query.delimiter);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return `/storage/files?${params.toString()}`;
}

export interface UploadTarget {
  overwrite?: boolean;
  /** Names the transfer for `GET /sse/progress?id=` (sent as `?id=`: a query needs no CORS header allowance). */
  transferId?: string;
}

/** `POST` target of a plain upload: the file's path plus `overwrite` and the transfer id. */
export function uploadPath(namespace: string, path: string, target: UploadTarget = {}): string {
  const params = new URLSearchParams();
  if (target.overwrite) params.set('overwrite', 'true');
  if (target.transferId) params.set('id', target.transferId);
  const query = params.toString();
  return query ? `${filePath(namespace, path)}?${query}` : filePath(namespace, path);
}

/** `GET /sse/progress?id=`: the progress stream of one transfer (its owner only). */
export function progressPath(transferId: string): string {
  return `/sse/progress?id=${encodeURIComponent(transferId)}`;
}

/** Where tus clients create resumable uploads. */
export const TUS_UPLOADS_PATH = '/storage/uploads';
