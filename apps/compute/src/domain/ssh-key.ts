import ssh2 from 'ssh2';
import { sshFingerprint } from '@edd/ssh-keys';

// ssh2 is CommonJS: Node's ESM loader sees only its default export.
const { utils } = ssh2;

/** Key types users may add: no DSA (broken), RSA only from 2048 bits. */
export const ACCEPTED_KEY_TYPES = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'] as const;
export type SshKeyType = (typeof ACCEPTED_KEY_TYPES)[number];
export const MIN_RSA_BITS = 2048;

export interface ParsedSshKey {
  type: SshKeyType;
  bits: number;
  /** `<type> <base64>`: what goes into authorized_keys (the comment is dropped). */
  line: string;
  /** OpenSSH's `SHA256:<base64 without padding>`. */
  fingerprint: string;
  comment: string;
}

export type SshKeyParse = { ok: true; key: ParsedSshKey } | { ok: false; error: string };

const ECDSA_BITS: Record<string, number> = { 'ecdsa-sha2-nistp256': 256, 'ecdsa-sha2-nistp384': 384, 'ecdsa-sha2-nistp521': 521 };
const fail = (error: string): SshKeyParse => ({ ok: false, error });

/**
 * One OpenSSH public key line (`<type> <base64> [comment]`), checked with ssh2's parser. Refused: private keys,
 * several lines, authorized_keys options (`command="..." ssh-ed25519 ...`), DSA, RSA under 2048 bits.
 */
export function parseSshPublicKey(input: string): SshKeyParse {
  const text = input.trim();
  if (/PRIVATE KEY/.test(text)) return fail('this is a private key: paste the public key (the .pub file) instead');
  if (/[\r\n]/.test(text)) return fail('a public key is one line');
  const [type, data, ...rest] = text.split(/[ \t]+/);
  if (type === 'ssh-dss') return fail('DSA keys are not accepted: use ed25519, ecdsa or rsa (2048 bits or more)');
  if (!type || !(ACCEPTED_KEY_TYPES as readonly string[]).includes(type)) {
    return fail('a public key starts with its type (ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa); options are not accepted');
  }
  if (!data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return fail('the key data is not base64');
  const line = `${type} ${data}`;
  const parsed = utils.parseKey(line);
  if (parsed instanceof Error || Array.isArray(parsed)) return fail(`not a valid ${type} key`);
  if (parsed.isPrivateKey() || parsed.type !== type) return fail(`not a valid ${type} key`);
  const blob = parsed.getPublicSSH();
  const bits = type === 'ssh-rsa' ? rsaModulusBits(blob) : type === 'ssh-ed25519' ? 256 : (ECDSA_BITS[type] ?? 0);
  if (type === 'ssh-rsa' && bits < MIN_RSA_BITS) return fail(`RSA keys need at least ${MIN_RSA_BITS} bits (this one has ${bits})`);
  return { ok: true, key: { type: type as SshKeyType, bits, line, fingerprint: sshFingerprint(blob), comment: rest.join(' ') } };
}

/** The fingerprint of a `<type> <base64>` line (a key the service made itself). */
export function fingerprintOfLine(line: string): string {
  return sshFingerprint(Buffer.from(line.split(' ')[1] ?? '', 'base64'));
}

/** RSA blob (RFC 4253 §6.6): string "ssh-rsa", mpint e, mpint n. */
function rsaModulusBits(blob: Buffer): number {
  let offset = 0;
  const next = (): Buffer => {
    const length = blob.readUInt32BE(offset);
    const value = blob.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return value;
  };
  next();
  next();
  const n = next();
  let start = 0;
  while (start < n.length && n[start] === 0) start += 1;
  if (start === n.length) return 0;
  return (n.length - start) * 8 - Math.clz32(n[start] ?? 0) + 24;
}
