import type { ErrorCode, ErrorDetail } from '@edd/api-contracts';

export interface ApiErrorInit {
  /** The server's stable code (docs/api/errors.md). */
  code?: string;
  details?: ErrorDetail[];
  retryAfterSeconds?: number;
}

/**
 * The one error every client throws: the HTTP status, the server's `{"error": "...", "code": "..."}`.
 * Status 0 means the request never got an answer (network down, DNS, CORS refusal); then, and whenever the answer was
 * not one of ours (a proxy's HTML page), `code` is undefined.
 */
export class ApiError extends Error {
  readonly status: number;
  /**
   * Branch on this, never on the message. Typed with the catalogue for completion, but open: a newer server may send
   * a code this client does not know yet.
   */
  readonly code: ErrorCode | (string & {}) | undefined;
  /** Which fields failed, when the server said (`invalid_request`, `weak_password`). */
  readonly details: readonly ErrorDetail[];
  /** Seconds from a `Retry-After` header (429 / 503), when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, message: string, init: ApiErrorInit = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** `isApiError(error) && error.code === code`, narrowing in one call: `if (hasErrorCode(error, 'rate_limited')) ...`. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is ApiError {
  return error instanceof ApiError && error.code === code;
}

/** Builds the ApiError for a non-2xx response; the body is read as `{"error", "code", "details"?}` when it is JSON. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = '';
  let code: string | undefined;
  let details: ErrorDetail[] | undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === 'object') {
      if ('error' in body && typeof body.error === 'string') message = body.error;
      if ('code' in body && typeof body.code === 'string') code = body.code;
      if ('details' in body) details = detailsOf(body.details);
    }
  } catch {
    // not JSON (a proxy's HTML error page, for example): fall back to the status line below
  }
  if (!message) message = response.statusText ? `${response.status} ${response.statusText}` : `HTTP ${response.status}`;
  return new ApiError(response.status, message, { code, details, retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')) });
}

// Read by hand, not with the contract's zod schema: the browser bundle stays free of zod.
function detailsOf(value: unknown): ErrorDetail[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((item: unknown) =>
    item &&
    typeof item === 'object' &&
    'path' in item &&
    'message' in item &&
    typeof item.path === 'string' &&
    typeof item.message === 'string'
      ? [{ path: item.path, message: item.message }]
      : [],
  );
}

// RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date.
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
