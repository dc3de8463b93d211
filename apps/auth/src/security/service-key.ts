import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '@edd/http';
import { constantTimeEqual } from '../domain/constant-time';

/**
 * Guards the internal endpoints. Two conditions:
 *  - the request did NOT come through the gateway: the gateway sets X-Forwarded-Host on everything it proxies, so a
 *    request carrying it is refused even with the right key (a leaked key is useless from the public side);
 *  - X-Service-Key equals SERVICE_API_KEY (constant-time comparison).
 * Internal callers therefore talk to auth directly (http://127.0.0.1:4001 in development), never via the gateway.
 */
export function requireServiceKey(serviceKey: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.get('x-forwarded-host')) throw new HttpError('internal_only');
    const presented = req.get('x-service-key');
    if (!presented || !constantTimeEqual(presented, serviceKey)) throw new HttpError('invalid_service_key');
    next();
  };
}
