import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_MAX_BYTES } from '@edd/api-contracts';

// scrypt (RFC 7914) parameters: N=2^15, r=8, p=1 needs 128*N*r = 32 MiB, so maxmem is raised above Node's 32 MiB default.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const MAX_MEMORY = 96 * 1024 * 1024;

export const PASSWORD_MIN_LENGTH = 8;
/** Bytes, not characters: bounds the work an attacker can make one login cost (part of the API contract). */
export { PASSWORD_MAX_BYTES };

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Why a new password is unacceptable, or undefined when it is fine. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return `password must be at most ${PASSWORD_MAX_BYTES} bytes`;
  return undefined;
}

/** Encodes as `scrypt$N$r$p$<salt base64>$<hash base64>` so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time check; a malformed stored hash or an oversized password simply fails. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  // Bounds keep a corrupted row from turning a login into a memory bomb.
  if (!N || !r || !p || N > 2 ** 20 || r > 16 || p > 4) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const oversized = Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES;
  // An oversized password still pays for a (bounded) derivation so timing does not single it out.
  const actual = await derive(oversized ? '' : password, salt, { N, r, p });
  return timingSafeEqual(actual, expected) && !oversized;
}

let dummyHash: Promise<string> | undefined;

/** The hash unknown usernames are checked against; made at start so the first such login is not slower than the rest. */
export function prepareDummyHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** Burns the same time as a real check, for usernames that do not exist (no user enumeration by timing). */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(password, await prepareDummyHash());
  return false;
}
