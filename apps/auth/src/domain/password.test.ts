import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('round-trips and encodes its parameters', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[^$]+\$[^$]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same-password')).not.toBe(await hashPassword('same-password'));
  });

  it('fails closed on malformed or hostile stored hashes', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1$2$3',
      'bcrypt$32768$8$1$AAAA$BBBB',
      `scrypt$${2 ** 24}$8$1$AAAA$${'A'.repeat(44)}`,
      'scrypt$32768$8$1$AAAA$short',
    ]) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });

  it('refuses oversized passwords without hashing them', async () => {
    const hash = await hashPassword('x'.repeat(256));
    expect(await verifyPassword('x'.repeat(256), hash)).toBe(true);
    expect(await verifyPassword('x'.repeat(257), hash)).toBe(false);
  });

  it('states the rules for new passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('é'.repeat(129))).toMatch(/at most 256 bytes/);
    expect(passwordProblem('long-enough')).toBeUndefined();
  });

  it('compares unknown users against a dummy hash', async () => {
    expect(await verifyAgainstDummy('whatever')).toBe(false);
  });
});
