import { describe, expect, it } from 'vitest';
import { hasWordsAt, packedToken } from './field-name';

describe('tokens compared four folded bytes at a time', () => {
  it('match every case of a token, and nothing else of letters and dashes', () => {
    const token = packedToken('keep-alive');
    const at = (text: string): boolean => hasWordsAt(Buffer.from(text, 'latin1'), 0, token);
    expect(at('KEEP-ALIVE')).toBe(true);
    expect(at('kEeP-aLiVe, x')).toBe(true);
    expect(at('keep_alive')).toBe(false);
    expect(at('keep-alivx')).toBe(false);
    expect(at('xeep-alive')).toBe(false);
  });

  it('refuses tokens it cannot pack', () => {
    expect(() => packedToken('te')).toThrow(/at least four/);
    expect(() => packedToken('Host')).toThrow(/lower-case/);
    expect(() => packedToken('bad name')).toThrow(/token/);
  });
});
