import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_TOKEN_PREFIX } from '@edd/auth-client';
import { ID_LENGTH, randomId } from './ids';

// The grammar (prefix, parsing) lives in @edd/auth-client, shared with every service that receives tokens.
export { looksLikeApiToken, parseApiToken } from '@edd/auth-client';

export interface MintedToken {
  id: string;
  /** The full credential, shown to the user exactly once. */
  token: string;
  secretHash: Buffer;
}

/**
 * `ecloud_<tokenId>_<secret>`: the id is base62 (never `_`), so the first `_` after the prefix splits id from
 * secret even though base64url secrets may contain `_` themselves.
 */
export function mintApiToken(): MintedToken {
  const id = randomId(ID_LENGTH.token);
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${API_TOKEN_PREFIX}${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** A 256-bit random secret needs no slow hash: sha256 resists preimages at that entropy. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const actual = hashSecret(secret);
  return actual.length === storedHash.length && timingSafeEqual(actual, storedHash);
}
