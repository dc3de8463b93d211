import ssh2 from 'ssh2';
import { SSH_DIR_INSIDE } from './container-paths';

export const HOST_KEY_FILE = 'ssh_host_ed25519_key';
export const AUTHORIZED_KEYS_FILE = 'authorized_keys';
export const SSHD_CONFIG_FILE = 'sshd_config';

/**
 * sshd's configuration inside a sandbox. Root logs in with keys only; AuthorizedKeysFile is a file compute rewrites
 * atomically, which sshd reads on every login, so key changes need no restart. Logs go to stderr (-e) → output.log.
 */
export function renderSshdConfig(): string {
  return [
    'Port 22',
    'ListenAddress 0.0.0.0',
    `HostKey ${SSH_DIR_INSIDE}/${HOST_KEY_FILE}`,
    `AuthorizedKeysFile ${SSH_DIR_INSIDE}/${AUTHORIZED_KEYS_FILE}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    // No PAM: the sandbox has no PAM stack of its own and keys are the only way in.
    'UsePAM no',
    'StrictModes yes',
    'PrintMotd no',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    // Every login comes through the gateway's one address: sshd's default (10 unauthenticated, then random drops)
    // would refuse a burst of sessions that the gateway itself admits.
    'MaxStartups 100:30:200',
    '',
  ].join('\n');
}

const KEY_TYPES =
  /(?:^|\s)((?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/=]+)(?:\s|$)/;

/**
 * One authorized_keys line per entry, each checked: a single line whose key ssh2 can parse (options before the key
 * are kept as given). Throws on the first bad entry so a broken line never locks everyone out silently.
 */
export function renderAuthorizedKeys(lines: string[]): string {
  const rendered = lines.map((line, index) => {
    const trimmed = line.trim();
    if (/[\r\n\0]/.test(trimmed)) throw new Error(`authorized key ${index + 1} spans more than one line`);
    const key = KEY_TYPES.exec(trimmed)?.[1];
    if (!key) throw new Error(`authorized key ${index + 1} is not an OpenSSH public key line`);
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) throw new Error(`authorized key ${index + 1} does not parse: ${parsed.message}`);
    return trimmed;
  });
  return rendered.length === 0 ? '' : `${rendered.join('\n')}\n`;
}

/** The host key must be an OpenSSH private key that ssh2 parses, or sshd would refuse to start with no clear reason. */
export function checkHostKey(privateKey: string): string {
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed) || !parsed.isPrivateKey()) {
    throw new Error('hostKey.privateKey is not a private key ssh2 can read');
  }
  return privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`;
}
