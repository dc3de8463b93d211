/**
 * The one error every client throws: the HTTP status plus the server's `{"error": "..."}` text.
 * Status 0 means the request never got an answer (network down, DNS, CORS refusal).
 */
export class ApiError extends Error {
  readonly status: number;
  /** Seconds from a `Retry-After` header (429 / 503), when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Builds the ApiError for a non-2xx response; the body is read as `{"error": "..."}` when it is JSON. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = '';
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') message = body.error;
  } catch {
    // not JSON (a proxy's HTML error page, for example): fall back to the status line below
  }
  if (!message) message = response.statusText ? `${response.status} ${response.statusText}` : `HTTP ${response.status}`;
  return new ApiError(response.status, message, parseRetryAfter(response.headers.get('retry-after')));
}

// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date.
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
