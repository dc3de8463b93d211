// Test helpers for services built on @edd/http (import from '@edd/http/testing').

/** What `call` got back: the status, the headers, the text and, when the response is JSON, its parsed body. */
export interface Reply<T = Record<string, unknown>> {
  status: number;
  /** The parsed body when the response says application/json, else `{}`. */
  body: T;
  headers: Headers;
  text: string;
}

export interface CallOptions {
  /** Sent as JSON, with content-type application/json unless `headers` names another. */
  json?: unknown;
  /** Sent as it is (bytes, a stream, a malformed body); no content-type is added. */
  raw?: RequestInit['body'];
  /** Goes in Authorization: Bearer. */
  token?: string;
  headers?: Record<string, string>;
}

/** One request to a service under test, over a real socket: JSON in, JSON out. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  // `duplex` lets a stream be the body (a chunked upload of unannounced size); Node's RequestInit type lacks it.
  const res = await fetch(`${base}${path}`, { method, headers, body, duplex: 'half' } as RequestInit);
  const text = await res.text();
  const json = text !== '' && (res.headers.get('content-type') ?? '').includes('application/json');
  return { status: res.status, body: (json ? JSON.parse(text) : {}) as T, headers: res.headers, text };
}
