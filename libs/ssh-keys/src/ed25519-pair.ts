import ssh2 from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader sees only its default export.
const { utils } = ssh2;

const MAX_ATTEMPTS = 16;

export interface OpenSshKeyPair {
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` */
  privateKey: string;
  /** `ssh-ed25519 AAAA...`, without a comment: what gets pinned and what goes into authorized_keys. */
  publicKey: string;
}

type Generate = (type: 'ed25519', options: { comment?: string }) => { private: string; public: string };

/**
 * A fresh ed25519 pair in OpenSSH formats. ssh2's generator drops a leading zero byte of the public key (about one
 * pair in 256): it writes a 31-byte key that its own parser and sshd reject, so a host key made from it would be
 * broken for good. Such a pair is thrown away and another made.
 */
export function generateEd25519Pair(comment = '', generate: Generate = utils.generateKeyPairSync): OpenSshKeyPair {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const pair = generate('ed25519', { comment });
    const publicKey = pair.public.split(' ').slice(0, 2).join(' ');
    if (isWholePair(pair.private, publicKey)) return { publicKey, privateKey: pair.private };
  }
  throw new Error(`no readable ed25519 key pair in ${MAX_ATTEMPTS} attempts`);
}

/** The private key parses, and its public half is exactly `publicKey`. */
function isWholePair(privateKey: string, publicKey: string): boolean {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed) || !parsed.isPrivateKey()) return false;
  return `${parsed.type} ${parsed.getPublicSSH().toString('base64')}` === publicKey;
}
