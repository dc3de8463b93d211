import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from './ssh-key';
import { generateEd25519Pair } from '@edd/ssh-keys';

const hasSshKeygen = (() => {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status !== undefined && (error as { code?: string }).code !== 'ENOENT';
  }
})();

describe('parseSshPublicKey', () => {
  it('accepts generated ed25519, ecdsa and rsa 2048+ keys, keeping the comment out of the stored line', () => {
    const cases = [
      { key: { public: `${generateEd25519Pair().publicKey} me@laptop` }, type: 'ssh-ed25519', bits: 256 },
      { key: ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 }), type: 'ecdsa-sha2-nistp256', bits: 256 },
      { key: ssh2.utils.generateKeyPairSync('ecdsa', { bits: 521 }), type: 'ecdsa-sha2-nistp521', bits: 521 },
      { key: ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 }), type: 'ssh-rsa', bits: 2048 },
      { key: ssh2.utils.generateKeyPairSync('rsa', { bits: 3072 }), type: 'ssh-rsa', bits: 3072 },
    ];
    for (const { key, type, bits } of cases) {
      const parsed = parseSshPublicKey(`${key.public}\n`);
      expect(parsed.ok, type).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.key).toMatchObject({ type, bits });
      expect(parsed.key.line).toBe(key.public.split(' ').slice(0, 2).join(' '));
      expect(parsed.key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    }
  });

  it.runIf(hasSshKeygen)('computes the fingerprint ssh-keygen -l shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compute-keys-'));
    try {
      const file = join(dir, 'id');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
      const shown = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1];
      const parsed = parseSshPublicKey(readFileSync(`${file}.pub`, 'utf8'));
      expect(parsed.ok && parsed.key.fingerprint).toBe(shown);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses rsa under 2048 bits, dss, options, several lines, private keys and garbage, saying why', () => {
    const small = ssh2.utils.generateKeyPairSync('rsa', { bits: 1024 });
    const edPair = generateEd25519Pair();
    const ed = { public: edPair.publicKey, private: edPair.privateKey };
    const refusals: Array<[string, RegExp]> = [
      [small.public, /at least 2048 bits \(this one has 1024\)/],
      ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /DSA keys are not accepted/],
      [`command="rm -rf /" ${ed.public}`, /options are not accepted/],
      [`no-pty ${ed.public}`, /options are not accepted/],
      [`${ed.public}\n${ed.public}`, /one line/],
      [`${ed.public.split(' ')[0]} ${ed.public.split(' ')[1]}\rx`, /one line/],
      [ed.private, /private key/],
      ['ssh-ed25519 AAAA', /not a valid ssh-ed25519 key/],
      ['ssh-ed25519 not*base64', /not base64/],
      // An ed25519 blob under an rsa label.
      [`ssh-rsa ${ed.public.split(' ')[1]}`, /not a valid ssh-rsa key/],
      ['', /starts with its type/],
    ];
    for (const [input, error] of refusals) {
      const parsed = parseSshPublicKey(input);
      expect(parsed.ok, input.slice(0, 40)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    }
  });
});
