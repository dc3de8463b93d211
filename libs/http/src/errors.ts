/** An error whose message is safe to show the client, with the status it answers with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The catalogue: the same failure always answers with the same status and wording. */
export const httpErrors = {
  badRequest: (message: string) => new HttpError(400, message),
  unauthorized: (message = 'authentication required') => new HttpError(401, message),
  forbidden: (message = 'forbidden') => new HttpError(403, message),
  notFound: (message = 'not found') => new HttpError(404, message),
  conflict: (message: string) => new HttpError(409, message),
  payloadTooLarge: (message = 'request body too large') => new HttpError(413, message),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpError(429, 'too many requests', { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  unavailable: (message = 'service unavailable') => new HttpError(503, message),
};
