import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { checkHostKey, renderAuthorizedKeys, renderSshdConfig } from './sshd-files';
import { generateEd25519Pair } from '@edd/ssh-keys';

function settings(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => [line.split(' ')[0]!, line.slice(line.indexOf(' ') + 1)]),
  );
}

describe('sshd_config', () => {
  const config = settings(renderSshdConfig());

  it('lets root in with keys only', () => {
    expect(config.get('PermitRootLogin')).toBe('prohibit-password');
    expect(config.get('PasswordAuthentication')).toBe('no');
    expect(config.get('KbdInteractiveAuthentication')).toBe('no');
    expect(config.get('PubkeyAuthentication')).toBe('yes');
  });

  it('reads the host key and authorized_keys from the files compute manages', () => {
    expect(config.get('HostKey')).toBe('/etc/edd-ssh/ssh_host_ed25519_key');
    expect(config.get('AuthorizedKeysFile')).toBe('/etc/edd-ssh/authorized_keys');
    expect(config.get('Port')).toBe('22');
  });
});

describe('authorized_keys', () => {
  const ed25519 = generateEd25519Pair().publicKey;
  const ecdsa = ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 }).public;

  it('writes one checked line per key, options kept', () => {
    const withOptions = `restrict,pty ${ecdsa}`;
    expect(renderAuthorizedKeys([ed25519, `  ${withOptions}  `])).toBe(`${ed25519}\n${withOptions}\n`);
    expect(renderAuthorizedKeys([])).toBe('');
  });

  it('refuses a line that would smuggle a second entry in', () => {
    expect(() => renderAuthorizedKeys([`${ed25519}\nssh-ed25519 AAAA attacker`])).toThrow(/more than one line/);
    expect(() => renderAuthorizedKeys([`${ed25519}\rx`])).toThrow(/more than one line/);
  });

  it('refuses what is not a public key, naming which entry', () => {
    expect(() => renderAuthorizedKeys([ed25519, 'hello'])).toThrow(/authorized key 2 is not/);
    expect(() => renderAuthorizedKeys(['ssh-ed25519 AAAAnotakey'])).toThrow(/does not parse/);
  });
});

describe('host key', () => {
  it('accepts an OpenSSH private key and refuses a public one', () => {
    const pair = generateEd25519Pair();
    expect(checkHostKey(pair.privateKey.trim())).toBe(`${pair.privateKey.trim()}\n`);
    expect(() => checkHostKey(pair.publicKey)).toThrow(/not a private key/);
  });
});
