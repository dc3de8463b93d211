import { describe, expect, it } from 'vitest';
import { etagForSha256, ownTag, parseEntityTagList, strongMatch, weakMatch } from './entity-tag';

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('etagForSha256', () => {
  it('quotes the sha256 as a strong tag', () => {
    expect(etagForSha256(SHA)).toBe(`"${SHA}"`);
    expect(ownTag(etagForSha256(SHA))).toEqual({ weak: false, opaque: SHA });
  });

  it.each(['', SHA.toUpperCase(), SHA.slice(1), `${SHA}0`, `"${SHA}"`, `${SHA.slice(0, 63)}"`])('refuses %j', (value) => {
    expect(() => etagForSha256(value)).toThrow(/sha256/);
  });
});

describe('parseEntityTagList', () => {
  it.each([
    ['*', '*'],
    [' * ', '*'],
    ['"a"', [{ weak: false, opaque: 'a' }]],
    ['W/"a"', [{ weak: true, opaque: 'a' }]],
    ['""', [{ weak: false, opaque: '' }]],
    [
      '"a", W/"b",  "c"',
      [
        { weak: false, opaque: 'a' },
        { weak: true, opaque: 'b' },
        { weak: false, opaque: 'c' },
      ],
    ],
    ['"a,b"', [{ weak: false, opaque: 'a,b' }]],
    [
      '"a", , "b",',
      [
        { weak: false, opaque: 'a' },
        { weak: false, opaque: 'b' },
      ],
    ],
    [',', []],
    ['', []],
    ['\t"a"\t', [{ weak: false, opaque: 'a' }]],
    ['"\u00e9"', [{ weak: false, opaque: '\u00e9' }]],
  ])('reads %j', (value, expected) => {
    expect(parseEntityTagList(value)).toEqual(expected);
  });

  it.each([
    'a',
    '"a',
    'a"',
    '"a" "b"',
    'w/"a"',
    'W/ "a"',
    'W/a',
    '"a", *',
    '*, "a"',
    '"a"b',
    '"a\u0000"',
    '"a\nb"',
    '"a""b"',
    '"\u0100"',
    '"\u{1F600}"',
  ])('calls %j invalid', (value) => {
    expect(parseEntityTagList(value)).toBe('invalid');
  });

  it('reads a long hostile list in linear time without recursion', () => {
    const list = parseEntityTagList(Array.from({ length: 2000 }, (_, i) => `"${i}"`).join(','));
    expect(Array.isArray(list) && list.length).toBe(2000);
  });
});

describe('comparisons (RFC 9110 §8.8.3.2 table)', () => {
  const strong1 = { weak: false, opaque: '1' };
  const weak1 = { weak: true, opaque: '1' };
  const weak2 = { weak: true, opaque: '2' };
  it.each([
    [weak1, weak1, false, true],
    [weak1, weak2, false, false],
    [weak1, strong1, false, true],
    [strong1, strong1, true, true],
  ])('%j vs %j: strong %s, weak %s', (a, b, strong, weak) => {
    expect(strongMatch(a, b)).toBe(strong);
    expect(weakMatch(a, b)).toBe(weak);
  });
});
