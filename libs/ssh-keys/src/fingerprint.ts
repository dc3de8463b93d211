import { createHash } from 'node:crypto';

/**
 * OpenSSH's fingerprint of a public key: `SHA256:` + base64 (no padding) of sha256 over the key's wire blob, as
 * `ssh-keygen -l` prints it. Compute stores it for users' keys and the gateway computes it for the key a client
 * offers: both must use this one definition for a login to match.
 */
export function sshFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}
