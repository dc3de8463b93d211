import { createHash, timingSafeEqual } from 'node:crypto';

export type AdminAuthResult = { ok: true } | { ok: false; status: 401 | 403; message: string };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer check for the admin API (RFC 6750 §2.1). Both sides are hashed first so the comparison is
 * constant-time whatever the lengths; no token configured means the API is off, not open.
 */
export function createAdminAuth(token: string | undefined): (authorization: string | undefined) => AdminAuthResult {
  const expected = token ? digest(token) : undefined;
  return (authorization) => {
    if (!expected) {
      return { ok: false, status: 403, message: 'admin API disabled: set GATEWAY_ADMIN_TOKEN to enable it' };
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, status: 401, message: 'missing bearer token' };
    if (!timingSafeEqual(digest(match[1]), expected)) return { ok: false, status: 401, message: 'invalid bearer token' };
    return { ok: true };
  };
}
