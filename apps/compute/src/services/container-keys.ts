import ssh2 from 'ssh2';
import type { ContainerSecrets } from '../data/secrets';

// ssh2 is CommonJS: Node's ESM loader sees only its default export.
const { utils } = ssh2;

/** A fresh ed25519 pair in OpenSSH formats (`-----BEGIN OPENSSH PRIVATE KEY-----`, `ssh-ed25519 AAAA...`). */
function ed25519Pair(comment: string): { publicKey: string; privateKey: string } {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  // Only `<type> <base64>` is kept: that is what the gateway pins and what goes into authorized_keys.
  return { publicKey: pair.public.split(' ').slice(0, 2).join(' '), privateKey: pair.private };
}

/** The container's SSH host key and the platform key only this container trusts (the gateway logs in with it). */
export function generateContainerSecrets(containerId: string): ContainerSecrets {
  return { hostKey: ed25519Pair(`host-${containerId}`), platformKey: ed25519Pair(`platform-${containerId}`) };
}
