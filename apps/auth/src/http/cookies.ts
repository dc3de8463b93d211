import type { CookieOptions, Request } from 'express';

export const SESSION_COOKIE = 'token';

/** Reads one cookie from the Cookie header (RFC 6265 §5.4 syntax); no dependency needed for a single name. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index < 0 || pair.slice(0, index).trim() !== name) continue;
    const value = pair.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

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
