import { ApiError } from '../api-error';
import type { FetchLike } from '../json-client';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  total: number;
}

export interface UploadRequest {
  url: string;
  body: Blob;
  headers: Record<string, string>;
  credentials?: 'include' | 'same-origin' | 'omit';
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** Sends one upload and resolves with the answer, whatever its status; rejects on network failure or abort. */
export type UploadTransport = (request: UploadRequest) => Promise<Response>;

/** The error an aborted upload rejects with (the same name `fetch` uses). */
export function uploadAbortedError(): DOMException {
  return new DOMException('upload cancelled', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * The part of XMLHttpRequest used here, declared by hand: the Node projects that import this lib compile it without
 * the DOM library.
 */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  send(body: Blob): void;
  abort(): void;
  withCredentials: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
type XhrConstructor = new () => XhrLike;

/** The browser's XMLHttpRequest, or undefined in Node. */
export function xhrConstructor(): XhrConstructor | undefined {
  return (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
}

/**
 * Browsers: XMLHttpRequest, the one API that reports upload progress (fetch reports none, and streaming request
 * bodies need HTTP/2 and are Chromium-only). The answer is handed back as a `Response` so errors are read one way.
 */
export const xhrUploadTransport: UploadTransport = (request) =>
  new Promise<Response>((resolve, reject) => {
    const Xhr = xhrConstructor();
    if (!Xhr) return reject(new Error('XMLHttpRequest is not available here; pass fetchUploadTransport()'));
    if (request.signal?.aborted) return reject(uploadAbortedError());
    const xhr = new Xhr();
    xhr.open('POST', request.url);
    xhr.withCredentials = request.credentials === 'include';
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    const total = request.body.size;
    xhr.upload.onprogress = (event) => request.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : total });
    const onAbort = () => xhr.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => request.signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      settle();
      // A 2xx means every byte arrived, even if the last progress event was coalesced away.
      if (xhr.status >= 200 && xhr.status < 300) request.onProgress?.({ loaded: total, total });
      const body = xhr.status === 204 || xhr.status === 304 ? null : xhr.responseText;
      resolve(new Response(body, { status: xhr.status, statusText: xhr.statusText, headers: parseHeaders(xhr.getAllResponseHeaders()) }));
    };
    xhr.onerror = () => {
      settle();
      reject(new ApiError(0, `Could not reach ${originOf(request.url)} (network error during upload)`));
    };
    xhr.onabort = () => {
      settle();
      reject(uploadAbortedError());
    };
    request.onProgress?.({ loaded: 0, total });
    xhr.send(request.body);
  });

/** Node and tests: `fetch` with the whole Blob; progress is only "started" and "finished". */
export function fetchUploadTransport(doFetch: FetchLike = (input, init) => fetch(input, init)): UploadTransport {
  return async (request) => {
    const total = request.body.size;
    request.onProgress?.({ loaded: 0, total });
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        credentials: request.credentials,
        signal: request.signal,
      });
    } catch (error) {
      if (isAbortError(error)) throw uploadAbortedError();
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiError(0, `Could not reach ${originOf(request.url)} (${reason})`);
    }
    if (response.ok) request.onProgress?.({ loaded: total, total });
    return response;
  };
}

/** `getAllResponseHeaders()` text -> Headers (CRLF-separated `name: value` lines). */
export function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      // a header name the Headers class refuses: not one we read
    }
  }
  return headers;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
