const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** `1250m` → `1.25`; a plain number of cores as is. */
export function coresOf(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

export const formatPercent = (value: number): string => `${value.toFixed(1)} %`;

/** Nanocores → `0.25 cores`. */
export const formatNanocores = (nanocores: number): string => `${(nanocores / 1e9).toFixed(2)} cores`;
