import { describe, expect, it } from 'vitest';
import { flattened } from './flattened';

describe('flattened', () => {
  it('returns the same characters, short, long, latin1 or not', () => {
    const ip = '203.0.113.7';
    for (const text of [
      '',
      'X',
      `\r\nX-Forwarded-For: ${ip}\r\nX-Forwarded-Proto: https\r\n`,
      `caf\u00e9 ${ip} \u00ff\u0000`,
      `\u20ac ${ip} \ud800 and more`,
    ]) {
      expect(flattened(text)).toBe(text);
    }
  });
});
