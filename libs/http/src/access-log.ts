import type { NextFunction, Request, Response } from 'express';

/**
 * One line per request; the path only (query strings can carry `?token=`), never headers.
 * Service-to-service calls (every route under `/internal/`, e.g. health polling compute every few seconds) are
 * logged at debug level when they succeed: at info they buried users' requests in the console and the log store.
 * A failed one (status 400 or above) is logged at info like any other request.
 */
export function accessLog() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path === '/healthz' || req.path === '/readyz') return;
      const routine = res.statusCode < 400 && req.path.startsWith('/internal/');
      // req.log as it is at the end: with the userId when authentication ran.
      req.log[routine ? 'debug' : 'info']('request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  };
}
