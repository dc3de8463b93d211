import { apiErrorFromResponse, ApiError } from '../api-error';
import { createJsonClient, segment, type ClientOptions } from '../json-client';
import { downloadPath, fileListPath, filePath, progressPath, TUS_UPLOADS_PATH, uploadPath, type UploadTarget } from './storage-paths';
import type {
  CreateNamespaceRequest,
  CreateShareRequest,
  FileEntry,
  FileListQuery,
  FileListResponse,
  Namespace,
  NamespaceListResponse,
  Share,
  ShareListResponse,
  TusUploadMetadata,
  UpdateNamespaceRequest,
} from './storage-types';
import { fetchUploadTransport, xhrConstructor, xhrUploadTransport, type UploadProgress, type UploadTransport } from './upload-transport';

export interface StorageClientOptions extends ClientOptions {
  /** How uploads are sent; defaults to XMLHttpRequest where there is one (progress), else fetch. */
  uploadTransport?: UploadTransport;
}

export interface UploadOptions extends UploadTarget {
  /** Stored as the file's type; defaults to the Blob's own type, else `application/octet-stream`. */
  contentType?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting rejects with an `AbortError` (see `isAbortError`). */
  signal?: AbortSignal;
}

/** Typed client for the storage API (session cookie or Bearer token). */
export function createStorageApi(options: StorageClientOptions) {
  const { request } = createJsonClient(options);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const transport = options.uploadTransport ?? (xhrConstructor() ? xhrUploadTransport : fetchUploadTransport(options.fetch));

  async function upload(namespace: string, path: string, body: Blob, upload: UploadOptions = {}): Promise<FileEntry> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
      'content-type': upload.contentType || body.type || 'application/octet-stream',
    };
    const token = typeof options.token === 'function' ? options.token() : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await transport({
      url: `${baseUrl}${uploadPath(namespace, path, upload)}`,
      body,
      headers,
      credentials: options.credentials,
      onProgress: upload.onProgress,
      signal: upload.signal,
    });
    if (!response.ok) throw await apiErrorFromResponse(response);
    try {
      return (await response.json()) as FileEntry;
    } catch {
      throw new ApiError(response.status, `the storage service answered the upload of ${path} with something that is not JSON`);
    }
  }

  return {
    listNamespaces: async () => (await request<NamespaceListResponse>('GET', '/storage/namespaces')).namespaces,
    createNamespace: (body: CreateNamespaceRequest) => request<Namespace>('POST', '/storage/namespaces', body),
    updateNamespace: (name: string, body: UpdateNamespaceRequest) =>
      request<Namespace>('PUT', `/storage/namespaces/${segment(name)}`, body),
    deleteNamespace: (name: string) => request<void>('DELETE', `/storage/namespaces/${segment(name)}`),

    listFiles: (query: FileListQuery) => request<FileListResponse>('GET', fileListPath(query)),
    deleteFile: (namespace: string, path: string) => request<void>('DELETE', filePath(namespace, path)),
    upload,

    createShare: (body: CreateShareRequest) => request<Share>('POST', '/storage/shares', body),
    listShares: async () => (await request<ShareListResponse>('GET', '/storage/shares')).shares,
    revokeShare: (id: string) => request<void>('DELETE', `/storage/shares/${segment(id)}`),

    /** Inline URL of a file: what a public namespace's file is fetched by (and what "copy public URL" copies). */
    fileUrl: (namespace: string, path: string) => `${baseUrl}${filePath(namespace, path)}`,
    /** Attachment URL of a file (the session cookie authorises it: no token in the URL). */
    downloadUrl: (namespace: string, path: string) => `${baseUrl}${downloadPath(namespace, path)}`,
    progressUrl: (transferId: string) => `${baseUrl}${progressPath(transferId)}`,
    /** Endpoint for tus clients (resumable uploads). */
    tusEndpoint: `${baseUrl}${TUS_UPLOADS_PATH}`,

    admin: {
      listNamespaces: async () => (await request<NamespaceListResponse>('GET', '/storage/admin/namespaces')).namespaces,
    },
  };
}

export type StorageApi = ReturnType<typeof createStorageApi>;

/** tus `Upload-Metadata` for a file that lands at `namespace/path` (tus sends every value as a string). */
export function tusUploadMetadata(
  namespace: string,
  path: string,
  options: { contentType?: string; overwrite?: boolean } = {},
): TusUploadMetadata & Record<string, string> {
  const metadata: TusUploadMetadata & Record<string, string> = { namespace, path };
  if (options.contentType) metadata.filetype = options.contentType;
  if (options.overwrite) metadata.overwrite = 'true';
  return metadata;
}
