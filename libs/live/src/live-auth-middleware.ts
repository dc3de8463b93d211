import { sendHttpError } from '@edd/http';
import type { RequestHandler } from 'express';
import type { LiveAuth } from './live-auth';

/**
 * For SSE routes: the same origin and credential rules as a WebSocket upgrade (an EventSource cannot set headers
 * either, so `?ticket=` is accepted); sets `req.principal` or answers the refusal like any other error.
 */
export function requireLiveAuth(auth: LiveAuth): RequestHandler {
  return async (req, res, next) => {
    const result = await auth.check(req);
    if (result.ok) {
      req.principal = result.principal;
      return next();
    }
    sendHttpError(res, result.refusal);
  };
}
