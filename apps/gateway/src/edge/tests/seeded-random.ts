/**
 * Seeded randomness for the edge's fuzz tests: the same seed gives the same inputs everywhere, and the seed
 * is printed in every failure so `EDGE_FUZZ_SEED=<seed>` replays it.
 */
export const FUZZ_SEED = Number(process.env['EDGE_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** How many inputs a fuzz test tries: `EDGE_FUZZ_RUNS`, else the test's own default. */
export const fuzzRuns = (fallback: number): number => Number(process.env['EDGE_FUZZ_RUNS'] ?? fallback);

export type Rand = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
export const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** Bytes that parsers disagree about: whitespace look-alikes, control bytes, delimiters, line ends. */
export const TRICKY_BYTES: readonly string[] = [
  ' ',
  '\t',
  '\x0b',
  '\x0c',
  '\xa0',
  '\x00',
  '\x7f',
  ':',
  ',',
  ';',
  '\r',
  '\n',
  '\r\n',
  'A',
  'z',
  '0',
  '-',
];

/** Inserts (one of `tricky`), deletes or repeats a few bytes at up to two random places. */
export function mutate(r: Rand, s: string, tricky: readonly string[] = TRICKY_BYTES): string {
  let out = s;
  const n = int(r, 3);
  for (let k = 0; k < n; k++) {
    const at = int(r, out.length + 1);
    const op = int(r, 3);
    if (op === 0) out = out.slice(0, at) + pick(r, tricky) + out.slice(at);
    else if (op === 1) out = out.slice(0, at) + out.slice(at + 1);
    else out = out.slice(0, at) + out.slice(at, at + 1 + int(r, 4)) + out.slice(at);
  }
  return out;
}
