import { describe, expect, it } from 'vitest';
import { hundredthsText } from './hundredths-text';

describe('hundredthsText', () => {
  it('prints every value with two decimals as String() does', () => {
    for (let h = 0; h < 200_000; h++) expect(hundredthsText(h / 100)).toBe(String(h / 100));
    for (const h of [123_456_789, 99_999_999_999, 1e10 + 7]) expect(hundredthsText(h / 100)).toBe(String(h / 100));
  });

  it('drops trailing zeros as String() does', () => {
    expect(hundredthsText(0)).toBe('0');
    expect(hundredthsText(2)).toBe('2');
    expect(hundredthsText(0.1)).toBe('0.1');
    expect(hundredthsText(0.07)).toBe('0.07');
    expect(hundredthsText(1234.5)).toBe('1234.5');
  });

  it('leaves any other number to String()', () => {
    for (const v of [0.123, -1.5, -0.01, 1e12, 1e21, Number.NaN, Infinity, Number.MAX_VALUE, 5e-324]) {
      expect(hundredthsText(v)).toBe(String(v));
    }
  });
});
