import { describe, expect, it } from 'vitest';
import { FUZZ_SEED, fuzzRuns, int, pick, seededRandom } from '../tests/seeded-random';
import { containsWord, wordSet } from './field-value';

describe(`containsWord (EDGE_FUZZ_SEED=${FUZZ_SEED})`, () => {
  const words = wordSet('no-store', 'private', 'no-cache');
  const pattern = /no-store|private|no-cache/i;

  it('answers as the case-insensitive pattern of the words on latin1 values without CR', () => {
    const r = seededRandom(FUZZ_SEED);
    const pieces = [
      'no-store',
      'NO-STORE',
      'Private',
      'no-cach',
      'no_cache',
      'no-\u00e9tore',
      'max-age=0',
      ', ',
      ' ',
      'p',
      'N',
      '-',
      '\u00ff',
    ];
    let found = 0;
    for (let i = 0; i < fuzzRuns(20_000); i++) {
      let value = Array.from({ length: int(r, 4) }, () => pick(r, pieces)).join('');
      // A byte replaced, as a value may hold any byte but CR, LF and NUL.
      if (value && r() < 0.3) {
        const at = int(r, value.length);
        value = value.slice(0, at) + String.fromCharCode(1 + int(r, 255)).replace(/[\r\n]/, 'x') + value.slice(at + 1);
      }
      const text = `x:${value}`;
      const got = containsWord(Buffer.from(text, 'latin1'), 2, text.length, words);
      if (got !== pattern.test(value)) throw new Error(`seed ${FUZZ_SEED}: ${JSON.stringify(value)} answered ${got}`);
      if (got) found++;
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('reads only the given range', () => {
    const bytes = Buffer.from('no-stor|no-store', 'latin1');
    expect(containsWord(bytes, 0, 7, words)).toBe(false);
    expect(containsWord(bytes, 0, 15, words)).toBe(false);
    expect(containsWord(bytes, 8, 16, words)).toBe(true);
  });
});
