/** Cumulative bucket counts of one Prometheus histogram series: upper bound (s) → count, ascending, +Inf last. */
export type Buckets = Array<{ le: number; count: number }>;

/**
 * The buckets of histogram `name` whose labels include every `labels` pair (e.g. `stage="stored"`), summed over the
 * series that match (several replicas' texts may be joined). Empty when the text has none.
 */
export function parseHistogram(text: string, name: string, labels: Record<string, string> = {}): Buckets {
  const sums = new Map<number, number>();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const match = /^[^{]+\{(.*)\}\s+(\S+)$/.exec(line);
    if (!match) continue;
    const [, labelText = '', value = ''] = match;
    if (!wanted.every((pair) => labelText.includes(pair))) continue;
    const le = /le="([^"]+)"/.exec(labelText)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    sums.set(bound, (sums.get(bound) ?? 0) + Number(value));
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}

/** `after` minus `before` bucket by bucket: what was observed between two scrapes. */
export function bucketsBetween(before: Buckets, after: Buckets): Buckets {
  const earlier = new Map(before.map((b) => [b.le, b.count]));
  return after.map((b) => ({ le: b.le, count: b.count - (earlier.get(b.le) ?? 0) }));
}

/**
 * The q-th percentile (0-100) as Prometheus' histogram_quantile estimates it: linear within the bucket that holds
 * it. NaN without observations; the largest finite bound when it falls in +Inf.
 */
export function bucketPercentile(buckets: Buckets, q: number): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;
  const rank = (q / 100) * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower;
      return lower + (le - lower) * ((rank - below) / Math.max(1, count - below));
    }
    lower = le;
    below = count;
  }
  return lower;
}

/** Mean of histogram `name` (its `_sum` over its `_count`), summed over every series in the text; NaN without any. */
export function histogramMean(text: string, name: string): number {
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${name}_sum`)) sum += value;
    else if (line.startsWith(`${name}_count`)) count += value;
  }
  return count === 0 ? Number.NaN : sum / count;
}
