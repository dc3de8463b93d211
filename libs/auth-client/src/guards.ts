import type { ScopeAction } from '@edd/scopes';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { canAccess } from './can-access';
import { sendHttpError } from '@edd/http';
import { authErrors } from './errors';

/** 401 unless `authenticate` established a principal. */
export const requireAuth: RequestHandler = (req, res, next) => {
  if (!req.principal) return sendHttpError(res, authErrors.unauthenticated());
  next();
};

/** Session only: token and service-account management must never be reachable with an API token. */
export const requireSession: RequestHandler = (req, res, next) => {
  if (!req.principal) return sendHttpError(res, authErrors.unauthenticated());
  if (req.principal.kind !== 'session') return sendHttpError(res, authErrors.sessionRequired());
  next();
};

/** An admin's session; an admin's API token is not enough. */
export const requireAdmin: RequestHandler = (req, res, next) => {
  if (!req.principal) return sendHttpError(res, authErrors.unauthenticated());
  if (req.principal.kind !== 'session' || !req.principal.isAdmin) return sendHttpError(res, authErrors.adminRequired());
  next();
};

/**
 * `canAccess(req.principal, scopeOf(req), action)` or 403, e.g.
 * `requireScope((req) => formatScope('storage', req.principal!.userId, 'files', String(req.params.ns)), 'read')`.
 * A `scopeOf` that throws is passed to the error middleware.
 */
export function requireScope(scopeOf: (req: Request) => string, action: ScopeAction): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.principal) return sendHttpError(res, authErrors.unauthenticated());
    const scope = scopeOf(req);
    if (!canAccess(req.principal, scope, action)) {
      return sendHttpError(res, authErrors.scopeMissing(action, scope));
    }
    next();
  };
}
