import { describe, expect, it } from 'vitest';
import { firstKeyLine, publicKeyFileProblem, suggestedKeyName } from './public-key-file';

const ed25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('suggestedKeyName', () => {
  it('takes the comment of the key', () => {
    expect(suggestedKeyName(`${ed25519} alice@laptop`, 'id_ed25519.pub')).toBe('alice@laptop');
    expect(suggestedKeyName(`${ed25519}  work key  `)).toBe('work key');
  });

  it('falls back to the file name without .pub', () => {
    expect(suggestedKeyName(ed25519, 'id_ed25519.pub')).toBe('id_ed25519');
    expect(suggestedKeyName(ed25519)).toBe('');
  });
});

describe('firstKeyLine', () => {
  it('skips blank and comment lines', () => {
    expect(firstKeyLine(`\n# my key\r\n${ed25519} a@b\n`)).toBe(`${ed25519} a@b`);
    expect(firstKeyLine('\n\n')).toBe('');
  });
});

describe('publicKeyFileProblem', () => {
  it('refuses empty and oversized files', () => {
    expect(publicKeyFileProblem({ name: 'k.pub', size: 0 })).toBe('k.pub is empty.');
    expect(publicKeyFileProblem({ name: 'big.pub', size: 9000 })).toMatch(/too large/);
    expect(publicKeyFileProblem({ name: 'k.pub', size: 100 })).toBeUndefined();
  });
});
