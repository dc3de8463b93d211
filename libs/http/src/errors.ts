import { errorCatalogue, type ErrorBody, type ErrorCode, type ErrorDetail } from '@edd/api-contracts';

export interface HttpErrorOptions {
  /** Sent with the answer, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** Which fields failed, for `invalid_request` and the like. */
  details?: ErrorDetail[];
}

/**
 * An error whose message is safe to show the client. The code (docs/api/errors.md) fixes the status, so the same
 * failure always answers the same way; the message defaults to the catalogue's wording.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly details: ErrorDetail[] | undefined;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    options: HttpErrorOptions = {},
  ) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'HttpError';
    this.status = errorCatalogue[code].status;
    this.headers = options.headers ?? {};
    this.details = options.details;
  }

  /** The wire body: `{"error": "...", "code": "..."}`, plus `details` when there are some. */
  toBody(): ErrorBody {
    return { error: this.message, code: this.code, ...(this.details?.length ? { details: this.details } : {}) };
  }
}

/** Shorthands for the generic codes (a service raises its own with `new HttpError(code, message)`). */
export const httpErrors = {
  badRequest: (message: string, details?: ErrorDetail[]) => new HttpError('invalid_request', message, { details }),
  unauthorized: (message?: string) => new HttpError('unauthenticated', message),
  forbidden: (message?: string) => new HttpError('forbidden', message),
  notFound: (message?: string) => new HttpError('not_found', message),
  conflict: (message: string) => new HttpError('conflict', message),
  payloadTooLarge: (message?: string) => new HttpError('payload_too_large', message),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpError('rate_limited', undefined, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }),
  unavailable: (message?: string) => new HttpError('unavailable', message),
};
