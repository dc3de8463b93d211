import type { Logger } from '@edd/logger';
import type { NextFunction, Request, Response } from 'express';

/** One line per request; the path only (query strings can carry `?token=`), never headers. */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (req.path === '/healthz' || req.path === '/readyz') return;
      logger.info('request', {
        requestId: res.locals['requestId'],
        method: req.method,
        path: req.path,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  };
}
