import { describe, expect, it } from 'vitest';
import { knownField, lineFields, scanRequestHead, scanResponseHead } from '../http/head-scanner';
import { FUZZ_SEED, fuzzRuns, int, pick, seededRandom, TRICKY_BYTES, type Rand } from './seeded-random';

/**
 * The scanner's field ids (head-scanner.ts knownField) against lower-casing each line's name: on seeded lines near
 * the known names (letters in random case, a byte replaced, added or cut), every line the scanner takes gets the
 * id of its name when that name is known, and 0 when it is not.
 */
const KNOWN = ['te', 'host', 'vary', 'cookie', 'upgrade', 'forwarded', 'keep-alive', 'set-cookie', 'content-length', 'x-request-deadline'];
// Names with a known name's length and first letter: the scanner's candidate for them is that name.
const OTHERS = ['tx', 'hxst', 'vara', 'coolie', 'content-lengty', 'x-request-deadlinE0'];

/** A name near `lower`: its letters in random case, sometimes one byte replaced, added or cut. */
function nearName(r: Rand, lower: string): string {
  const name = [...lower].map((c) => (r() < 0.5 ? c.toUpperCase() : c)).join('');
  const at = int(r, name.length + 1);
  const odd = r() < 0.5 ? pick(r, TRICKY_BYTES) : String.fromCharCode(int(r, 256));
  switch (int(r, 4)) {
    case 1:
      return name.slice(0, at) + odd + name.slice(at + 1);
    case 2:
      return name.slice(0, at) + odd + name.slice(at);
    case 3:
      return name.slice(0, at) + name.slice(at + 1);
    default:
      return name;
  }
}

describe(`known field names (EDGE_FUZZ_SEED=${FUZZ_SEED})`, () => {
  const ids = new Map(KNOWN.map((name) => [name, knownField(name)]));
  // The line's name is what comes before its first ':' (a ':' the mutation put in a name ends it early).
  const expected = (name: string): number => ids.get((name.split(':')[0] as string).toLowerCase()) ?? 0;

  it('gives each line the id of its name in any letter case, and 0 to every other name', () => {
    const r = seededRandom(FUZZ_SEED);
    const runs = fuzzRuns(20_000);
    let known = 0;
    let scanned = 0;
    for (let i = 0; i < runs; i++) {
      // No CR or LF in a name: it would split the line, and the lines would no longer be the names'.
      const names = Array.from({ length: 1 + int(r, 4) }, () => nearName(r, pick(r, r() < 0.8 ? KNOWN : OTHERS))).filter(
        (name) => !/[\r\n]/.test(name),
      );
      const lines = names.map((name) => `${name}:${r() < 0.5 ? ' ' : ''}v\r\n`).join('');
      const request = r() < 0.5;
      const head = Buffer.from(`${request ? 'GET / HTTP/1.1' : 'HTTP/1.1 200 OK'}\r\n${lines}\r\n`, 'latin1');
      const end = request ? scanRequestHead(head, head.length) : scanResponseHead(head, head.length);
      if (end === -1) continue; // a name the mutation made no token: the complete parsers answer for it
      scanned++;
      names.forEach((name, line) => {
        const want = expected(name);
        if (lineFields[line + 1] !== want)
          throw new Error(`seed ${FUZZ_SEED}: '${JSON.stringify(name)}' got id ${lineFields[line + 1]}, not ${want}`);
        if (want !== 0) known++;
      });
    }
    // The generator must give known names as well as near misses, or the comparison proves little.
    expect(scanned).toBeGreaterThan(runs / 4);
    expect(known).toBeGreaterThan(runs / 4);
  });

  it('gives a name the id it had, and refuses names it cannot tell apart or hold', () => {
    expect(knownField('host')).toBe(ids.get('host'));
    expect(() => knownField('hxst')).toThrow(/length and first letter/);
    expect(() => knownField('Host')).toThrow(/lower-case/);
    expect(() => knownField('x_y')).toThrow(/letters and '-'/);
    expect(() => knownField('a'.repeat(32))).toThrow(/under 32 bytes/);
  });
});
