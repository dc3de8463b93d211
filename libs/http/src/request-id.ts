import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

// Accept the gateway's (or a client's) id only when it is short and printable, so it is safe to log.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals['requestId'] = id;
  res.setHeader('X-Request-ID', id);
  next();
}
