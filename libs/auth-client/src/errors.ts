import { HttpError } from '@edd/http';

// RFC 6750 §3: a 401 names the scheme; `invalid_token` when a presented credential was refused.
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="edd-cloud"' };
const INVALID_TOKEN_CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="edd-cloud", error="invalid_token"' };

/** auth-client's refusals, as the platform's one error type (codes in docs/api/errors.md). */
export const authErrors = {
  unauthenticated: () => new HttpError('unauthenticated', undefined, { headers: CHALLENGE }),
  invalidCredential: (message?: string) => new HttpError('invalid_credential', message, { headers: INVALID_TOKEN_CHALLENGE }),
  sessionRequired: () => new HttpError('session_required'),
  adminRequired: () => new HttpError('admin_required'),
  // Scopes come from the request path: cut, so a long one cannot bloat the answer.
  scopeMissing: (action: string, scope: string) =>
    new HttpError('scope_missing', `missing permission: ${action} on ${scope.slice(0, 300)}`),
  unavailable: () => new HttpError('unavailable', 'authentication service unavailable', { headers: { 'Retry-After': '1' } }),
};
