import { CONTAINER_ID_PATTERN } from '@edd/api-contracts';
import { canAccess, type Principal } from '@edd/auth-client';
import { HttpError } from '@edd/http';
import { formatScope, type ScopeAction } from '@edd/scopes';
import type { Request, RequestHandler } from 'express';

/** The caller, behind a guard (a 401 if a route forgot its guard). */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new HttpError('unauthenticated');
  return req.principal;
}

/** `:id` of a container route; a malformed id cannot name a container, so it is simply not found. */
export function containerIdOf(req: Request): string {
  const id = String(req.params['id'] ?? '');
  if (!CONTAINER_ID_PATTERN.test(id)) throw new HttpError('not_found', 'container not found');
  return id;
}

/**
 * `compute.<uid>.<resource>[.<id>]` with `action`: sessions act as their user, API tokens need the scope. The id is
 * the route's `:id` when `byId` (an invalid one answers 404 before the scope is even formed).
 */
export function requireComputeScope(resource: 'containers' | 'keys', action: ScopeAction, byId = false): RequestHandler {
  return (req, _res, next) => {
    const principal = principalOf(req);
    const id = byId ? (resource === 'containers' ? containerIdOf(req) : String(req.params['id'] ?? '')) : undefined;
    const scope = formatScope('compute', principal.userId, resource, id);
    if (!canAccess(principal, scope, action)) throw new HttpError('scope_missing', `missing permission: ${action} on ${scope}`);
    next();
  };
}
