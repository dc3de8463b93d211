import { ApiError, apiErrorFromResponse } from './api-error';

/** The subset of `fetch` the clients use, so a test or a Node script can pass its own. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Service origin, e.g. `http://auth.cloud.localhost:18080` (a trailing slash is ignored). */
  baseUrl: string;
  fetch?: FetchLike;
  /** Browsers: `'include'` so the HttpOnly `token` cookie of the platform domain travels along. */
  credentials?: 'include' | 'same-origin' | 'omit';
  /** Sent as `Authorization: Bearer ...` (scripts and tests that hold a session or API token). */
  token?: string | (() => string | undefined);
  headers?: Record<string, string>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface JsonClient {
  request<T>(method: HttpMethod, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** A tiny JSON-over-HTTP requester: JSON in, JSON out, every non-2xx turned into an ApiError. */
export function createJsonClient(options: ClientOptions): JsonClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  // Bound lazily: a bare `fetch` reference called as a method throws "Illegal invocation" in browsers.
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));

  return {
    async request<T>(method: HttpMethod, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...extraHeaders };
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';

      let response: Response;
      try {
        response = await doFetch(`${baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          credentials: options.credentials,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError(0, `Could not reach ${baseUrl} (${reason})`);
      }
      if (!response.ok) throw await apiErrorFromResponse(response);
      const text = await response.text();
      // Some endpoints answer 200/204 with an empty body.
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        // A 2xx that is not JSON (an HTML page from a misrouted host, a proxy's page): say so, not "Unexpected token '<'".
        throw new ApiError(response.status, `the service at ${baseUrl} answered ${method} ${path} with something that is not JSON`);
      }
    },
  };
}

/** Encodes one path segment (ids are public random strings, but never trust that). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
