import { describe, expect, it } from 'vitest';
import { FUZZ_SEED, seededRandom } from '../tests/seeded-random';
import { isInternalPath } from './internal-path';

/** The rule as first written, one pattern per question: the quick pre-check must never change its answer. */
function reference(path: string): boolean {
  const internal = /^\/internal(?:\/|$)/i;
  if (internal.test(path)) return true;
  if (!/%|\/\.|\/\/|\\/.test(path)) return false;
  const resolveDots = (p: string): string => new URL(p.replace(/[/\\]{2,}/g, '/'), 'http://h').pathname;
  let p = resolveDots(path);
  try {
    p = decodeURIComponent(p);
  } catch {
    // as isInternalPath: malformed escapes are checked as they are
  }
  return internal.test(resolveDots(p));
}

describe('isInternalPath', () => {
  it('refuses the internal prefix however it is spelled and lets look-alikes through', () => {
    for (const path of [
      '/internal',
      '/internal/x',
      '/INTERNAL/x',
      '//internal/x',
      '/./internal',
      '/a/../internal/x',
      '/%69nternal/x',
      '/%2e/internal',
      '\\internal\\x',
    ]) {
      expect(isInternalPath(path), path).toBe(true);
    }
    // Backslash runs before a character no host may hold made the URL parser throw (the connection was lost).
    for (const path of ['/', '/internals', '/api/internal/x', '/internal-docs', '/%41bc', '/a/./b', '//x', '/\\\\%', '/\\\\%25', '/\\/x']) {
      expect(isInternalPath(path), path).toBe(false);
    }
  });

  it('answers as the rule without its pre-check on random paths near the prefix', () => {
    const random = seededRandom(FUZZ_SEED);
    const pieces = ['/', 'internal', 'INTERNAL', 'intern', '%69', '%2e', '%2f', '.', '..', '//', '\\', 'x', '%', '?', '-', 's'];
    for (let i = 0; i < 20_000; i++) {
      let path = '/';
      const n = 1 + Math.floor(random() * 6);
      for (let j = 0; j < n; j++) path += pieces[Math.floor(random() * pieces.length)];
      expect(isInternalPath(path), `${path} (EDGE_FUZZ_SEED=${FUZZ_SEED})`).toBe(reference(path));
    }
  });
});
