import type { NextFunction, Request, Response } from 'express';

/** One line per request; the path only (query strings can carry `?token=`), never headers. */
export function accessLog() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path === '/healthz' || req.path === '/readyz') return;
      // req.log as it is at the end: with the userId when authentication ran.
      req.log.info('request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  };
}
