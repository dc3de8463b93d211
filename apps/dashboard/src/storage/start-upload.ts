import { isAbortError, tusUploadMetadata } from '@edd/api-client';
import { DetailedError, Upload, type HttpRequest } from 'tus-js-client';
import { storageApi } from '../api/clients';
import { errorMessage } from '../components/error-message';
import { tusErrorMessage } from './upload-error';
import { uploadMethod } from './upload-queue';

export interface UploadTarget {
  namespace: string;
  path: string;
  overwrite: boolean;
}

export interface UploadEvents {
  onProgress: (loaded: number) => void;
  /** A previous attempt of this file (an earlier tab, before a reload) was found and is being continued. */
  onResumed: () => void;
  onSuccess: () => void;
  onError: (message: string) => void;
}

export interface UploadHandle {
  resumable: boolean;
  /** Stops the upload; a resumable one is also terminated on the server and forgotten here. */
  cancel: () => void;
}

/** tus requests are PATCHes of this size: a dropped connection costs at most one chunk. */
const TUS_CHUNK_BYTES = 32 * 1024 * 1024;

/** Small files in one POST (progress from XHR), big ones resumable with tus. */
export function startUpload(file: File, target: UploadTarget, events: UploadEvents): UploadHandle {
  return uploadMethod(file.size) === 'tus' ? startTusUpload(file, target, events) : startPlainUpload(file, target, events);
}

function startPlainUpload(file: File, target: UploadTarget, events: UploadEvents): UploadHandle {
  const controller = new AbortController();
  storageApi
    .upload(target.namespace, target.path, file, {
      overwrite: target.overwrite,
      signal: controller.signal,
      onProgress: ({ loaded }) => events.onProgress(loaded),
    })
    .then(
      () => events.onSuccess(),
      (error: unknown) => {
        // The caller already marked a cancelled upload.
        if (!isAbortError(error)) events.onError(errorMessage(error));
      },
    );
  return { resumable: false, cancel: () => controller.abort() };
}

/** Sends the platform cookie with every tus request (the service is on another subdomain). */
export function withCredentials(request: HttpRequest): void {
  const xhr: unknown = request.getUnderlyingObject();
  if (xhr instanceof XMLHttpRequest) xhr.withCredentials = true;
}

function startTusUpload(file: File, target: UploadTarget, events: UploadEvents): UploadHandle {
  let cancelled = false;
  const upload = new Upload(file, {
    endpoint: storageApi.tusEndpoint,
    metadata: tusUploadMetadata(target.namespace, target.path, { contentType: file.type || undefined, overwrite: target.overwrite }),
    chunkSize: TUS_CHUNK_BYTES,
    retryDelays: [0, 1000, 3000, 5000, 10000],
    // The browser's localStorage keeps the upload URL by fingerprint until the upload finishes, so after a reload the
    // same file picked again continues where it stopped.
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    // The default fingerprint ignores the destination: the same file sent to two places would resume the wrong one.
    fingerprint: (picked) =>
      Promise.resolve(
        ['edd-storage', target.namespace, target.path, target.overwrite, picked.name, picked.size, picked.lastModified].join('|'),
      ),
    onBeforeRequest: withCredentials,
    onProgress: (sent) => events.onProgress(sent),
    onSuccess: () => events.onSuccess(),
    onError: (error) => {
      if (cancelled) return;
      const response = error instanceof DetailedError ? error.originalResponse : null;
      events.onError(tusErrorMessage(response?.getStatus(), response?.getBody(), error.message));
    },
  });
  void upload
    .findPreviousUploads()
    .then((previous) => {
      const latest = [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
      if (latest) {
        upload.resumeFromPreviousUpload(latest);
        events.onResumed();
      }
    })
    .catch(() => undefined)
    .finally(() => {
      if (!cancelled) upload.start();
    });
  return {
    resumable: true,
    cancel: () => {
      cancelled = true;
      // Terminate: the partial bytes on the server go now, not at the next expiry sweep.
      void upload.abort(true).catch(() => undefined);
    },
  };
}
