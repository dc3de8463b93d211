import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ed25519Pair, generateContainerSecrets } from './container-keys';

const { utils } = ssh2;

const readable = (privateKey: string): boolean => {
  const parsed = utils.parseKey(privateKey);
  return !(parsed instanceof Error) && !Array.isArray(parsed) && parsed.isPrivateKey();
};

describe('container key pairs', () => {
  it('only hands out pairs ssh2 (and so sshd) can read: ssh2 writes a broken one about 1 time in 256', () => {
    // 1,500 containers' worth of keys: with the broken pairs let through, about 12 would be unreadable here.
    for (let i = 0; i < 1_500; i++) {
      const { hostKey, platformKey } = generateContainerSecrets(`c${i}`);
      for (const pair of [hostKey, platformKey]) {
        expect(readable(pair.privateKey)).toBe(true);
        expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
      }
    }
  });

  it('throws a broken pair away and takes the next one', () => {
    // A real broken pair from ssh2 (its public key is 31 bytes: `AAAAH…`), then a good one.
    const broken = {
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
    const good = utils.generateKeyPairSync('ed25519');
    let calls = 0;
    const generate = ((..._args: unknown[]) => (++calls === 1 ? broken : good)) as typeof utils.generateKeyPairSync;
    const pair = ed25519Pair('host-abcdefgh', generate);
    expect(calls).toBe(2);
    expect(pair.privateKey).toBe(good.private);
    expect(readable(pair.privateKey)).toBe(true);
  });
});
