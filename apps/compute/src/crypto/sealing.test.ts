import { describe, expect, it } from 'vitest';
import { createSealer, SealingError } from './sealing';

const sealer = createSealer('a-sealing-secret-0123456789');

describe('sealing', () => {
  it('opens what it sealed, and never stores the plain text', () => {
    const plain = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
    const sealed = sealer.seal(plain, 'c1:host');
    expect(sealed).not.toContain('abc');
    expect(sealed).toMatch(/^v1\./);
    expect(sealer.open(sealed, 'c1:host')).toBe(plain);
    // A fresh salt and IV each time.
    expect(sealer.seal(plain, 'c1:host')).not.toBe(sealed);
  });

  it('refuses a tampered ciphertext, tag or salt', () => {
    const sealed = sealer.seal('secret material', 'c1:host');
    const parts = sealed.split('.');
    for (const index of [1, 2, 3, 4]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      altered[index] = bytes.toString('base64url');
      expect(() => sealer.open(altered.join('.'), 'c1:host'), `part ${index}`).toThrow(SealingError);
    }
  });

  it('refuses another context (a value moved to another row) and another secret', () => {
    const sealed = sealer.seal('secret material', 'c1:host');
    expect(() => sealer.open(sealed, 'c2:host')).toThrow(SealingError);
    expect(() => createSealer('another-secret-0123456789').open(sealed, 'c1:host')).toThrow(/COMPUTE_KEY_ENCRYPTION_SECRET/);
  });

  it('refuses a malformed value and a short secret', () => {
    expect(() => sealer.open('plain-text', 'c1:host')).toThrow(SealingError);
    expect(() => createSealer('short')).toThrow(SealingError);
  });
});
