import ssh2 from 'ssh2';

const { utils } = ssh2;

/** The wire-format blob of an OpenSSH public key line, the bytes a server presents in its handshake. */
export function publicKeyBlob(line: string): Buffer {
  const parsed = utils.parseKey(line);
  if (parsed instanceof Error) throw new Error(`pinned host key is not a valid public key: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('pinned host key is empty');
  return key.getPublicSSH();
}

/** A hostVerifier for ssh2's Client: true only for the exact pinned key (the original accepted any). */
export function pinnedHostVerifier(pinnedLine: string): (presented: Buffer) => boolean {
  const pinned = publicKeyBlob(pinnedLine);
  return (presented) => presented.length === pinned.length && presented.equals(pinned);
}
