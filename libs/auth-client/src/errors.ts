import type { Response } from 'express';

/** A refusal with the status and client-safe message it answers with. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const authErrors = {
  unauthenticated: () => new AuthError(401, 'authentication required'),
  invalidCredential: (message = 'invalid or expired credential') => new AuthError(401, message),
  forbidden: (message: string) => new AuthError(403, message),
  unavailable: () => new AuthError(503, 'authentication service unavailable'),
};

/** Writes `{"error": ...}`; 401s carry `WWW-Authenticate: Bearer` (RFC 6750 §3), with `invalid_token` when one was refused. */
export function sendAuthError(res: Response, error: AuthError, invalidToken = false): void {
  if (error.status === 401) {
    res.setHeader('WWW-Authenticate', invalidToken ? 'Bearer realm="edd-cloud", error="invalid_token"' : 'Bearer realm="edd-cloud"');
  }
  if (error.status === 503) res.setHeader('Retry-After', '1');
  res.status(error.status).json({ error: error.message });
}
