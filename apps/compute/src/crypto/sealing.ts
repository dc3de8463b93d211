import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals per-container private keys at rest: AES-256-GCM under a key derived (HKDF-SHA256, a fresh salt per value)
 * from COMPUTE_KEY_ENCRYPTION_SECRET. The sealed form is one string, `v1.<salt>.<iv>.<tag>.<ciphertext>` (base64url),
 * and `context` (the container id and which key) is bound as associated data, so a sealed value moved to another
 * row or column does not open.
 */
const VERSION = 'v1';
const INFO = 'edd-cloud compute container key v1';

export class SealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealingError';
  }
}

export interface Sealer {
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const keyFor = (secret: string, salt: Buffer): Buffer => Buffer.from(hkdfSync('sha256', secret, salt, INFO, 32));
const b64 = (buffer: Buffer): string => buffer.toString('base64url');

export function createSealer(secret: string): Sealer {
  if (secret.length < 16) throw new SealingError('the sealing secret must be at least 16 characters');
  return {
    seal(plain, context) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyFor(secret, salt), iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, b64(salt), b64(iv), b64(cipher.getAuthTag()), b64(data)].join('.');
    },
    open(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION) throw new SealingError('not a sealed value of this service');
      const [salt, iv, tag, data] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
      if (!salt || !iv || !tag || !data) throw new SealingError('not a sealed value of this service');
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, salt), iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        throw new SealingError(
          'cannot open a sealed key: it was altered, or COMPUTE_KEY_ENCRYPTION_SECRET differs from the one it was sealed with',
        );
      }
    },
  };
}
