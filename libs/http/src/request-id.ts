import { randomUUID } from 'node:crypto';
import { isValidRequestId } from '@edd/config';
import type { NextFunction, Request, Response } from 'express';

/** Keeps the gateway's (or a client's) id when it passes the platform's rule (the gateway applies the same one). */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && isValidRequestId(incoming) ? incoming : randomUUID();
  res.locals['requestId'] = id;
  res.setHeader('X-Request-ID', id);
  next();
}
