/**
 * The summary statistics every benchmark report uses, defined once so that two reports' "p99" or "median" mean
 * the same thing. Percentiles are nearest-rank (always one of the samples, never interpolated); the median of an
 * even count is the mean of the two middle samples.
 */

/** Nearest-rank percentile (`p` in 0–100) of samples already in ascending order; NaN when there are none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** Nearest-rank percentile (`p` in 0–100) of samples in any order; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(ascending(values), p);
}

/** The middle sample, or the mean of the two middle ones for an even count; NaN when there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = ascending(values);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
