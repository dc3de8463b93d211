import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { SIGNING_ALG, type SigningKeyRing } from './signing-key-ring';

export const JWT_ISSUER = 'edd-cloud-auth';
export const JWT_AUDIENCE = 'edd-cloud';

export interface SessionClaims {
  userId: string;
  sessionId: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
}

/** Signs a session JWT (claims per the platform contract: sub, sid, username, display_name, is_admin). */
export async function signSessionJwt(keys: SigningKeyRing, claims: SessionClaims, expiresAt: Date): Promise<string> {
  const { kid, privateKey } = await keys.signingKey();
  return new SignJWT({
    sid: claims.sessionId,
    username: claims.username,
    display_name: claims.displayName,
    is_admin: claims.isAdmin,
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(privateKey);
}

/** Verifies signature, issuer, audience and expiry; undefined for anything that is not a valid session JWT. */
export async function verifySessionJwt(keys: SigningKeyRing, token: string): Promise<{ userId: string; sessionId: string } | undefined> {
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    if (!kid || alg !== SIGNING_ALG) return undefined;
    const key = await keys.verificationKey(kid);
    if (!key) return undefined;
    const { payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALG],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      requiredClaims: ['sub', 'sid', 'exp'],
    });
    if (typeof payload.sub !== 'string' || typeof payload['sid'] !== 'string') return undefined;
    return { userId: payload.sub, sessionId: payload['sid'] };
  } catch {
    return undefined;
  }
}
