import type { Principal } from '@edd/auth-client';
import { HttpError } from '@edd/http';
import type { Request } from 'express';

/** The caller, behind requireAuth / requireLiveAuth (a 401 if a route forgot its guard). */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new HttpError('unauthenticated');
  return req.principal;
}
