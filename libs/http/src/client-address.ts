import type { RequestHandler } from 'express';
import { resolveClientAddress, type ProxyMatcher } from './trusted-proxies';

/** req.ip from the trusted-proxy chain (trusted-proxies.ts), one rule for every service. */
export function clientAddressMiddleware(isTrusted: ProxyMatcher): RequestHandler {
  return (req, _res, next) => {
    const forwarded = req.headers['x-forwarded-for'];
    const ip = resolveClientAddress(req.socket.remoteAddress ?? '', Array.isArray(forwarded) ? forwarded.join(',') : forwarded, isTrusted);
    // An own property shadows Express's getter on the request prototype.
    Object.defineProperty(req, 'ip', { value: ip, configurable: true, enumerable: true });
    next();
  };
}
