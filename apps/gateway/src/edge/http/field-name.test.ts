import { describe, expect, it } from 'vitest';
import { FUZZ_SEED, fuzzRuns, int, pick, seededRandom, TRICKY_BYTES } from '../tests/seeded-random';
import { isNameAt, isTeAt, packedToken } from './field-name';

const NAMES = ['te', 'host', 'vary', 'cookie', 'upgrade', 'forwarded', 'keep-alive', 'content-length', 'x-request-deadline'];

/** What isNameAt must answer: the line's name (before its first ':', with no CR before that) is `lower`, any case. */
function reference(line: string, lower: string): boolean {
  const colon = line.indexOf(':');
  const cr = line.indexOf('\r');
  if (colon === -1 || (cr !== -1 && cr < colon)) return false;
  return line.slice(0, colon).toLowerCase() === lower;
}

/** A line near `lower`: its letters in random case, sometimes one byte replaced, added or cut, then ':' and a value. */
function nearLine(r: () => number, lower: string): string {
  let name = [...lower].map((c) => (r() < 0.5 ? c.toUpperCase() : c)).join('');
  const at = int(r, name.length + 1);
  const odd = r() < 0.5 ? pick(r, TRICKY_BYTES) : String.fromCharCode(int(r, 256));
  const change = int(r, 4);
  if (change === 1) name = name.slice(0, at) + odd + name.slice(at + 1);
  else if (change === 2) name = name.slice(0, at) + odd + name.slice(at);
  else if (change === 3) name = name.slice(0, at) + name.slice(at + 1);
  return `${name}:${r() < 0.5 ? ' ' : ''}value\r\nnext: line\r\n`;
}

describe('field names compared four folded bytes at a time', () => {
  it('agree with lower-casing the name before the first colon', () => {
    const r = seededRandom(FUZZ_SEED);
    const runs = fuzzRuns(50_000);
    const wordNames = NAMES.filter((n) => n.length >= 4).map((n) => [n, packedToken(n)] as const);
    let matched = 0;
    for (let i = 0; i < runs; i++) {
      const target = pick(r, NAMES);
      const line = nearLine(r, target);
      const bytes = Buffer.from(line, 'latin1');
      const end = line.indexOf('\r');
      for (const [lower, packed] of wordNames) {
        const got = isNameAt(bytes, 0, end === -1 ? line.length : end, packed);
        if (got !== reference(line, lower)) {
          throw new Error(`seed ${FUZZ_SEED}: isNameAt(${JSON.stringify(line)}, '${lower}') answered ${got}`);
        }
        if (got) matched++;
      }
      expect(isTeAt(bytes, 0), `seed ${FUZZ_SEED}: ${JSON.stringify(line)}`).toBe(reference(line, 'te'));
    }
    // The generator must produce matches as well as near misses, or the comparison proves little.
    expect(matched).toBeGreaterThan(runs / 10);
  });

  it('match every case of a name and no CR folded onto its dash', () => {
    const name = packedToken('keep-alive');
    const at = (line: string): boolean => isNameAt(Buffer.from(line, 'latin1'), 0, line.indexOf('\r'), name);
    expect(at('KEEP-ALIVE: timeout=5\r\n')).toBe(true);
    expect(at('kEeP-aLiVe:5\r\n')).toBe(true);
    expect(at('keep\ralive: 5\r\n')).toBe(false);
    expect(at('keep-alivex: 5\r\n')).toBe(false);
    expect(at('keep-aliv: 5\r\n')).toBe(false);
    expect(at('keep-alive\r\n')).toBe(false);
  });

  it('refuses names it cannot pack', () => {
    expect(() => packedToken('te')).toThrow(/at least four/);
    expect(() => packedToken('Host')).toThrow(/lower-case/);
    expect(() => packedToken('bad name')).toThrow(/token/);
  });
});
