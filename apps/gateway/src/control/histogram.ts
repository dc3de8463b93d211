export interface HistogramSnapshot {
  counts: number[];
  sum: number;
  count: number;
}

/** Prometheus-style histogram with fixed upper bounds; counts are per bucket and summed at render time. */
export class Histogram {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    }
  }

  snapshot(): HistogramSnapshot {
    return { counts: Array.from(this.counts), sum: this.sum, count: this.count };
  }

  /** Exposition lines for `name` (cumulative `le` buckets, `+Inf`, `_sum`, `_count`), plus other workers' snapshots. */
  render(name: string, help: string, others: readonly HistogramSnapshot[] = []): string {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    let cumulative = 0;
    let sum = this.sum;
    let count = this.count;
    for (const other of others) {
      sum += other.sum;
      count += other.count;
    }
    this.bounds.forEach((bound, i) => {
      cumulative += this.counts[i] ?? 0;
      for (const other of others) cumulative += other.counts[i] ?? 0;
      lines.push(`${name}_bucket{le="${bound}"} ${cumulative}`);
    });
    lines.push(`${name}_bucket{le="+Inf"} ${count}`, `${name}_sum ${sum}`, `${name}_count ${count}`);
    return lines.join('\n');
  }
}
