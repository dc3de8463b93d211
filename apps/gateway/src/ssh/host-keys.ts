import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { generateEd25519Pair, sshFingerprint } from '@edd/ssh-keys';

const { utils } = ssh2;

export interface HostKey {
  /** OpenSSH/PEM private key text, as ssh2's Server takes it. */
  privateKey: string;
  /** `ssh-ed25519`, `ssh-rsa`. */
  type: string;
  /** `SHA256:...` as `ssh-keygen -lf` and the client's first-connection prompt print it. */
  fingerprint: string;
  /** The public key line (`ssh-ed25519 AAAA...`), for a known_hosts entry. */
  publicKey: string;
}

const DEV_KEYS = [
  // Never ssh2's ed25519 generator directly: about one pair in 256 is unreadable, and a host key is kept for good.
  {
    file: 'ssh_host_ed25519_key',
    generate: () => {
      const pair = generateEd25519Pair();
      return { private: pair.privateKey, public: pair.publicKey };
    },
  },
  // rsa-sha2-256/512 for clients without ed25519; 3072 bits as ssh-keygen's default.
  { file: 'ssh_host_rsa_key', generate: () => utils.generateKeyPairSync('rsa', { bits: 3072 }) },
] as const;

/** Every private key in `text` (a file may hold several, one after the other). */
export function parseHostKeys(text: string, origin: string): HostKey[] {
  const blocks = text.split(/(?=-----BEGIN )/).filter((block) => block.trim() !== '');
  if (blocks.length === 0) throw new Error(`${origin}: no private key in the file`);
  return blocks.map((block, index) => {
    const parsed = utils.parseKey(block);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key === undefined || key instanceof Error || !key.isPrivateKey()) {
      throw new Error(`${origin}: key ${index + 1} is not a private key ssh2 can read`);
    }
    const blob = key.getPublicSSH();
    return {
      privateKey: block,
      type: key.type,
      fingerprint: sshFingerprint(blob),
      publicKey: `${key.type} ${blob.toString('base64')}`,
    };
  });
}

/**
 * Writes `content` at `path` unless a file is already there, atomically: a temporary file hard-linked into place,
 * so gateway workers starting together agree on one key and never read a half-written file.
 */
function createOnce(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/**
 * The gateway's SSH host keys: from `keyFile` (GATEWAY_SSH_HOST_KEY_FILE, a mounted Secret) when set, else from
 * `devDir`, generated there on the first start only. Persisting them keeps every client's known_hosts entry valid
 * across restarts and replicas (the original generated a new key at each start).
 */
export function loadHostKeys(options: { keyFile?: string; devDir: string }): { keys: HostKey[]; source: string } {
  if (options.keyFile) {
    return { keys: parseHostKeys(readFileSync(options.keyFile, 'utf8'), options.keyFile), source: options.keyFile };
  }
  mkdirSync(options.devDir, { recursive: true, mode: 0o700 });
  const keys = DEV_KEYS.flatMap(({ file, generate }) => {
    const path = join(options.devDir, file);
    if (!existsSync(path)) createOnce(path, generate().private);
    return parseHostKeys(readFileSync(path, 'utf8'), path);
  });
  return { keys, source: options.devDir };
}
