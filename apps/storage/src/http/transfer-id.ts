import { HttpError } from '@edd/http';

/**
 * A transfer id names one upload or download for its progress stream (`?id=` or `X-Transfer-Id`). The client makes
 * it (a UUID fits), so it only has to be short, URL- and Redis-key-safe, and long enough not to collide by accident
 * among one user's transfers; progress is published per owner, so guessing another user's id gains nothing.
 */
const TRANSFER_ID = /^[A-Za-z0-9_-]{8,64}$/;

const RULE = 'must be 8 to 64 characters of A-Z, a-z, 0-9, "_" and "-"';

/**
 * The transfer id of a request, or undefined when it has none. A malformed id, a repeated `?id=`, or a query id
 * and header that disagree are a 400 naming the field (rather than silently reporting no progress).
 */
export function readTransferId(query: unknown, header: string | string[] | undefined): string | undefined {
  const fromQuery = checked(query, 'id');
  const fromHeader = checked(header, 'X-Transfer-Id');
  if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) {
    throw invalid('X-Transfer-Id', 'the id query parameter and the X-Transfer-Id header name different transfers');
  }
  return fromQuery ?? fromHeader;
}

/** True when `value` is a well-formed transfer id (for the progress stream's `?id=`). */
export function isTransferId(value: unknown): value is string {
  return typeof value === 'string' && TRANSFER_ID.test(value);
}

function checked(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw invalid(field, `${field} was given more than once`);
  if (!isTransferId(value)) throw invalid(field, `${field} ${RULE}`);
  return value;
}

function invalid(field: string, message: string): HttpError {
  return new HttpError('invalid_request', message, { details: [{ path: field, message }] });
}
