import type { Logger } from '@edd/logger';
import type { NextFunction, Request, Response } from 'express';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** This request's logger: every line carries its requestId, and its userId once authentication ran. */
      log: Logger;
    }
  }
}

/** Binds the request id (set by requestIdMiddleware just before) to a child of the service's logger. */
export function requestLogger(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.log = logger.child({ requestId: res.locals['requestId'] });
    next();
  };
}

/** After authentication: the same logger, now also naming the caller. */
export function identifyRequestLogger(userIdOf: (req: Request) => string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const userId = userIdOf(req);
    if (userId !== undefined) req.log = req.log.child({ userId });
    next();
  };
}
