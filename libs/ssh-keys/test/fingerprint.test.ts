import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateEd25519Pair, sshFingerprint } from '../src';

const blobOf = (line: string) => Buffer.from(line.split(' ')[1] ?? '', 'base64');

it('is the SHA256 fingerprint OpenSSH prints', () => {
  const { publicKey } = generateEd25519Pair('me');
  expect(sshFingerprint(blobOf(publicKey))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  if (!existsSync('/usr/bin/ssh-keygen')) return;
  const dir = mkdtempSync(join(tmpdir(), 'fp-'));
  try {
    writeFileSync(join(dir, 'key.pub'), `${publicKey}\n`);
    const printed = execFileSync('/usr/bin/ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'key.pub')], { encoding: 'utf8' });
    expect(printed.split(' ')[1]).toBe(sshFingerprint(blobOf(publicKey)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
