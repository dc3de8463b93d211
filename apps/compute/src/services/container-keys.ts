import ssh2 from 'ssh2';
import type { ContainerSecrets } from '../data/secrets';

// ssh2 is CommonJS: Node's ESM loader sees only its default export.
const { utils } = ssh2;

const MAX_ATTEMPTS = 16;

/**
 * A fresh ed25519 pair in OpenSSH formats (`-----BEGIN OPENSSH PRIVATE KEY-----`, `ssh-ed25519 AAAA...`).
 * ssh2's generator drops a leading zero byte of the public key (about 1 pair in 256): it writes a 31-byte key that
 * its own parser, and sshd, reject, and the container would fail for good. Such a pair is thrown away.
 */
export function ed25519Pair(comment: string, generate = utils.generateKeyPairSync): { publicKey: string; privateKey: string } {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const pair = generate('ed25519', { comment });
    // Only `<type> <base64>` is kept: that is what the gateway pins and what goes into authorized_keys.
    const publicKey = pair.public.split(' ').slice(0, 2).join(' ');
    if (isWholePair(pair.private, publicKey)) return { publicKey, privateKey: pair.private };
  }
  throw new Error(`no readable ed25519 key pair in ${MAX_ATTEMPTS} attempts`);
}

/** The private key parses, and its public half is exactly `publicKey`. */
function isWholePair(privateKey: string, publicKey: string): boolean {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed) || !parsed.isPrivateKey()) return false;
  return `ssh-ed25519 ${parsed.getPublicSSH().toString('base64')}` === publicKey;
}

/** The container's SSH host key and the platform key only this container trusts (the gateway logs in with it). */
export function generateContainerSecrets(containerId: string): ContainerSecrets {
  return { hostKey: ed25519Pair(`host-${containerId}`), platformKey: ed25519Pair(`platform-${containerId}`) };
}
