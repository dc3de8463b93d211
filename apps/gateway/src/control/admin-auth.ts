import { createHash, timingSafeEqual } from 'node:crypto';

/** The catalogue's codes for a refusal: API off (403), no bearer token (401), wrong token (401). */
export type AdminAuthFailure = 'forbidden' | 'unauthenticated' | 'invalid_credential';

export type AdminAuthResult = { ok: true } | { ok: false; code: AdminAuthFailure; message: string };

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Bearer check for the admin API (RFC 6750 §2.1). Both sides are hashed first so the comparison is
 * constant-time whatever the lengths; no token configured means the API is off, not open.
 */
export function createAdminAuth(token: string | undefined): (authorization: string | undefined) => AdminAuthResult {
  const expected = token ? digest(token) : undefined;
  return (authorization) => {
    if (!expected) {
      return { ok: false, code: 'forbidden', message: 'admin API disabled: set GATEWAY_ADMIN_TOKEN to enable it' };
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, code: 'unauthenticated', message: 'missing bearer token' };
    if (!timingSafeEqual(digest(match[1]), expected)) return { ok: false, code: 'invalid_credential', message: 'invalid bearer token' };
    return { ok: true };
  };
}
