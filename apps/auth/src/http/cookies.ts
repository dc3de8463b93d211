import type { CookieOptions, Request } from 'express';

// The cookie's name and parsing are shared with every service through @edd/auth-client.
export { readCookie, SESSION_COOKIE } from '@edd/auth-client';

/** True when `host` is the platform domain or one of its subdomains. */
function isWithinDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase();
  const d = domain.toLowerCase();
  return h === d || h.endsWith(`.${d}`);
}

/**
 * Session cookie attributes: HttpOnly, SameSite=Lax, Path=/, Secure when the request came over HTTPS (directly or
 * per X-Forwarded-Proto from a trusted proxy). Domain=<EDD_DOMAIN> so every subdomain sees it, but only when the
 * request was made to a host inside that domain: a browser rejects a cookie whose Domain does not domain-match the
 * request host (RFC 6265 §5.3 step 6), so direct calls to e.g. 127.0.0.1:4001 get a host-only cookie instead.
 */
export function sessionCookieOptions(req: Request, domain: string, maxAgeMs?: number): CookieOptions {
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure };
  if (isWithinDomain(req.hostname, domain)) options.domain = domain;
  if (maxAgeMs !== undefined) options.maxAge = maxAgeMs;
  return options;
}
