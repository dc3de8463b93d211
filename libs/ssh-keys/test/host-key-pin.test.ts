import { expect, it } from 'vitest';
import { generateEd25519Pair, pinnedHostVerifier, publicKeyBlob } from '../src';

it('accepts exactly the pinned host key and refuses any other', () => {
  const pinned = generateEd25519Pair('host');
  const verify = pinnedHostVerifier(pinned.publicKey);
  expect(verify(publicKeyBlob(pinned.publicKey))).toBe(true);
  expect(verify(publicKeyBlob(generateEd25519Pair('impostor').publicKey))).toBe(false);
  expect(verify(Buffer.alloc(0))).toBe(false);
});

it('refuses to pin a line that is not a public key', () => {
  expect(() => pinnedHostVerifier('ssh-ed25519 not-base64-key')).toThrow(/not a valid public key|empty/);
  expect(() => pinnedHostVerifier('')).toThrow();
});
