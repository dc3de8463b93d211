import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { HttpError } from '@edd/http';
import { authErrors } from './errors';
import type { Principal } from './principal';

export interface SessionVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  timeoutMs: number;
}

export interface VerifiedSession {
  principal: Principal & { kind: 'session'; sessionId: string };
  /** `exp` in ms since the epoch. */
  expiresAt: number;
}

// jose failures that say "the auth service (its JWKS) could not be used", not "this token is bad".
const UNAVAILABLE_CODES = new Set([
  'ERR_JOSE_GENERIC',
  'ERR_JWKS_TIMEOUT',
  'ERR_JWKS_INVALID',
  'ERR_JWK_INVALID',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

/**
 * Verifies session JWTs locally against the auth service's JWKS: EdDSA only (no `alg` confusion,
 * RFC 8725 §3.1), issuer and audience pinned, `exp` enforced. The key set is cached for 10 minutes
 * and refetched at most once a second when a token names an unknown `kid` (key rotation).
 */
export function createSessionVerifier(options: SessionVerifierOptions): (token: string) => Promise<VerifiedSession> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: 1_000,
    cacheMaxAge: 10 * 60_000,
  });

  return async (token) => {
    // Auth always names its key (`kid`). A token without one is not ours, and would otherwise match every key of
    // the set during a rotation, which jose reports like a broken JWKS (503) rather than a bad token (401).
    if (!namesKey(token)) throw authErrors.invalidCredential('invalid session token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['EdDSA'],
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
        clockTolerance: 5,
      }));
    } catch (error) {
      throw classifyJoseError(error);
    }
    return toPrincipal(payload);
  };
}

function namesKey(token: string): boolean {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' && kid.length > 0;
  } catch {
    return false; // not a JWS at all
  }
}

function classifyJoseError(error: unknown): HttpError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_J') || UNAVAILABLE_CODES.has(code)) {
    return authErrors.unavailable();
  }
  return authErrors.invalidCredential(code === 'ERR_JWT_EXPIRED' ? 'session expired' : 'invalid session token');
}

function toPrincipal(payload: JWTPayload): VerifiedSession {
  const { sub, sid, username, is_admin: isAdmin, exp } = payload;
  if (typeof sub !== 'string' || !sub || typeof sid !== 'string' || !sid || typeof username !== 'string' || typeof exp !== 'number') {
    throw authErrors.invalidCredential('invalid session token');
  }
  return { principal: { kind: 'session', userId: sub, username, isAdmin: isAdmin === true, sessionId: sid }, expiresAt: exp * 1000 };
}
