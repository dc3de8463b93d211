import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 62 * 4 = 248: bytes at or above it are rejected so every character is equally likely (no modulo bias).
const UNBIASED_LIMIT = 248;

/** A random base62 id: used for user, session, token and service-account public ids. */
export function randomId(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export const ID_LENGTH = { user: 12, session: 20, token: 16, serviceAccount: 12, signingKey: 16 } as const;

/** Ids in URLs are checked before they reach a query, so junk never costs a database round trip. */
export function isPublicId(value: string): boolean {
  return /^[0-9A-Za-z]{6,32}$/.test(value);
}
