import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * `X-Request-Deadline`: the absolute time (epoch milliseconds) after which the gateway no longer waits for the
 * answer (it has answered 504 by then). A request that reaches the service past it is dropped before any handler
 * runs, so a write the client was told timed out is not executed later when a stalled service resumes.
 * A malformed value is ignored: the header only ever saves work, it never grants anything.
 */
export const REQUEST_DEADLINE_HEADER = 'x-request-deadline';

export function requestDeadline(now: () => number = Date.now): RequestHandler {
  return (req, _res, next) => {
    const value = req.headers[REQUEST_DEADLINE_HEADER];
    if (typeof value === 'string' && /^\d{1,15}$/.test(value) && Number(value) <= now())
      throw new HttpError('gateway_timeout', 'the gateway stopped waiting for this request before it started: it was not run');
    next();
  };
}
