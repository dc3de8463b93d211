import { createHash } from 'node:crypto';

export const API_TOKEN_PREFIX = 'ecloud_';
// `ecloud_<tokenId>_<secret>`: the id is base62 (never "_"), so the first "_" after the prefix ends it.
const API_TOKEN = /^ecloud_([0-9A-Za-z]{6,32})_([A-Za-z0-9_-]{32,64})$/;

export function looksLikeApiToken(credential: string): boolean {
  return credential.startsWith(API_TOKEN_PREFIX);
}

/** Splits a well-formed API token into its public id and its secret; undefined for anything else. */
export function parseApiToken(token: string): { id: string; secret: string } | undefined {
  const match = API_TOKEN.exec(token);
  return match ? { id: match[1] as string, secret: match[2] as string } : undefined;
}

/** The public token id, or undefined when the credential is not a well-formed API token. */
export function apiTokenId(token: string): string | undefined {
  return parseApiToken(token)?.id;
}

/** Cache key: the token itself is never kept in memory longer than the request. */
export function tokenCacheKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
