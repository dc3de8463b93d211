/**
 * Kubernetes resource quantities (`250m`, `1.5`, `123456789n`, `128Mi`, `1e3`, `500M`) as numbers of base units.
 * Unlike resource.MustParse in the original, an odd string never throws: it reads as undefined.
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

export function parseQuantity(value: string | number | undefined | null): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const [, digits = '', exponent, suffix = ''] = match;
  const base = Number(digits);
  const result = exponent ? base * 10 ** Number(exponent.slice(1)) : base * (SUFFIX[suffix] ?? 1);
  return Number.isFinite(result) ? result : undefined;
}

/** CPU quantity → cores (`250m` → 0.25); 0 for an unreadable one. */
export const cores = (value: string | number | undefined | null): number => parseQuantity(value) ?? 0;

/** Byte quantity → bytes, rounded; 0 for an unreadable one. */
export const bytes = (value: string | number | undefined | null): number => Math.round(parseQuantity(value) ?? 0);
