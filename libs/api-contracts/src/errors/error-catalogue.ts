/**
 * Every error code a service may answer with, its HTTP status and its default wording. A code always answers with
 * the same status, so clients branch on `code` and never on message text. docs/api/errors.md documents each one;
 * error-catalogue.test.ts keeps the two in step.
 */
export const errorCatalogue = {
  // Any service
  invalid_request: { status: 400, message: 'invalid request' },
  unauthenticated: { status: 401, message: 'authentication required' },
  invalid_credential: { status: 401, message: 'invalid or expired credential' },
  forbidden: { status: 403, message: 'forbidden' },
  session_required: { status: 403, message: 'this endpoint requires a session' },
  admin_required: { status: 403, message: 'admin access required' },
  scope_missing: { status: 403, message: 'missing permission' },
  not_found: { status: 404, message: 'not found' },
  method_not_allowed: { status: 405, message: 'method not allowed' },
  conflict: { status: 409, message: 'conflict' },
  payload_too_large: { status: 413, message: 'request body too large' },
  unsupported_media_type: { status: 415, message: 'unsupported body encoding' },
  idempotency_key_reused: { status: 422, message: 'this Idempotency-Key was used for a different request' },
  rate_limited: { status: 429, message: 'too many requests' },
  internal: { status: 500, message: 'internal server error' },
  unavailable: { status: 503, message: 'service unavailable' },

  // The auth service
  invalid_login: { status: 401, message: 'invalid username or password' },
  invalid_service_key: { status: 401, message: 'invalid service key' },
  internal_only: { status: 403, message: 'internal endpoint: not reachable through the gateway' },
  wrong_password: { status: 403, message: 'current password is incorrect' },
  weak_password: { status: 400, message: 'password rejected' },
  invalid_scope: { status: 400, message: 'invalid scopes' },
  username_taken: { status: 409, message: 'username already taken' },

  // The gateway's edge, answering for a request it could not hand to a service (or got no answer for)
  no_route: { status: 404, message: 'no route for this host and path' },
  request_timeout: { status: 408, message: 'request not received in time' },
  headers_too_large: { status: 431, message: 'request header fields too large' },
  not_implemented: { status: 501, message: 'transfer coding not implemented' },
  bad_gateway: { status: 502, message: 'upstream unavailable' },
  gateway_timeout: { status: 504, message: 'upstream timed out' },

  // The storage service
  precondition_failed: { status: 412, message: 'precondition failed' },
  range_not_satisfiable: { status: 416, message: 'range not satisfiable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

export function statusOf(code: ErrorCode): number {
  return errorCatalogue[code].status;
}

/**
 * The generic code for a status, for errors raised outside our code (Express, body-parser) that carry only a
 * status. Unlisted 4xx statuses fall back to `invalid_request`, 5xx to `internal`.
 */
export function codeForStatus(status: number): ErrorCode {
  const generic = GENERIC_BY_STATUS.get(status);
  if (generic) return generic;
  return status >= 400 && status < 500 ? 'invalid_request' : 'internal';
}

const GENERIC_CODES: readonly ErrorCode[] = [
  'invalid_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'request_timeout',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'headers_too_large',
  'internal',
  'not_implemented',
  'bad_gateway',
  'unavailable',
  'gateway_timeout',
];
const GENERIC_BY_STATUS = new Map<number, ErrorCode>(GENERIC_CODES.map((code) => [errorCatalogue[code].status, code]));
