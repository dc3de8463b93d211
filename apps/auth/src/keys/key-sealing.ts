import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { StoredPrivateKey } from '../data/signing-keys';

const INFO = 'edd-cloud auth signing key v1';

function sealingKey(secret: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, INFO, 32));
}

/** Seals the private JWK with AES-256-GCM under a key derived (HKDF) from AUTH_KEY_ENCRYPTION_SECRET. */
export function sealPrivateKey(jwk: JWK, secret: string | undefined): StoredPrivateKey {
  if (!secret) return { format: 'plain', jwk };
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret, salt), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
  return {
    format: 'aes-256-gcm',
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

export class KeySealingError extends Error {}

export function openPrivateKey(stored: StoredPrivateKey, secret: string | undefined): JWK {
  if (stored.format === 'plain') return stored.jwk;
  if (!secret) throw new KeySealingError('the signing key is encrypted but AUTH_KEY_ENCRYPTION_SECRET is not set');
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      sealingKey(secret, Buffer.from(stored.salt, 'base64')),
      Buffer.from(stored.iv, 'base64'),
    );
    decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as JWK;
  } catch {
    throw new KeySealingError('cannot decrypt the signing key: AUTH_KEY_ENCRYPTION_SECRET differs from the one it was sealed with');
  }
}
