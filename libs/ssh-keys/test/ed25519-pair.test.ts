import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { generateEd25519Pair } from '../src';

const { utils } = ssh2;

const readable = (privateKey: string): boolean => {
  const parsed = utils.parseKey(privateKey);
  return !(parsed instanceof Error) && !Array.isArray(parsed) && parsed.isPrivateKey();
};

// A real broken pair from ssh2: its public key is 31 bytes (`AAAAH…`), which ssh2's parser and sshd refuse.
const BROKEN = {
  private: [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMgAAAAtz',
    'c2gtZWQyNTUxOQAAAB+rwXYzbeGgB/Av96OQuGCx7ji7IyCIGzWy3AJxNWaMAAAA',
    'kPsV7hn7Fe4ZAAAAC3NzaC1lZDI1NTE5AAAAH6vBdjNt4aAH8C/3o5C4YLHuOLsj',
    'IIgbNbLcAnE1ZowAAAA/vn6VP4UtGDEEaKHeZYyU/KIfUkBnfRT4Q06p5CGn1Byr',
    'wXYzbeGgB/Av96OQuGCx7ji7IyCIGzWy3AJxNWaMAAAADWhvc3QtYWJjZGVmZ2gB',
    'Ag==',
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n'),
  public: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAH6vBdjNt4aAH8C/3o5C4YLHuOLsjIIgbNbLcAnE1Zow host-abcdefgh',
};

describe('ed25519 pairs', () => {
  it('only hands out pairs ssh2 (and so sshd) can read: ssh2 alone writes a broken one about 1 time in 256', () => {
    // With the broken pairs let through, about 12 of these 3,000 would be unreadable.
    for (let i = 0; i < 3_000; i++) {
      const pair = generateEd25519Pair(`k${i}`);
      expect(readable(pair.privateKey)).toBe(true);
      expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
    }
  });

  it('throws a broken pair away and takes the next one', () => {
    const good = generateEd25519Pair('good');
    let calls = 0;
    const pair = generateEd25519Pair('host-abcdefgh', () =>
      ++calls === 1 ? BROKEN : { private: good.privateKey, public: `${good.publicKey} good` },
    );
    expect(calls).toBe(2);
    expect(pair).toEqual(good);
  });

  it('gives up, saying so, when the generator never makes a readable pair', () => {
    expect(() => generateEd25519Pair('x', () => BROKEN)).toThrow(/no readable ed25519 key pair/);
  });
});
