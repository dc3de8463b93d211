import { describe, expect, it } from 'vitest';
import { bucketPercentile, bucketsBetween, histogramMean, parseHistogram } from './prom-histogram';

const scrape = (fast: number, slow: number, inf: number) => `# HELP d x
# TYPE d histogram
d_bucket{le="0.01",stage="stored"} ${fast}
d_bucket{le="0.1",stage="stored"} ${slow}
d_bucket{le="+Inf",stage="stored"} ${inf}
d_bucket{le="0.01",stage="delivered"} 100
d_bucket{le="0.1",stage="delivered"} 100
d_bucket{le="+Inf",stage="delivered"} 100
d_sum{stage="stored"} 1
d_count{stage="stored"} ${inf}
`;

describe('Prometheus histogram text', () => {
  it('reads one labelled series, sums it over replicas, and subtracts an earlier scrape', () => {
    const text = `${scrape(10, 20, 20)}\n${scrape(30, 40, 50)}`;
    const both = parseHistogram(text, 'd', { stage: 'stored' });
    expect(both).toEqual([
      { le: 0.01, count: 40 },
      { le: 0.1, count: 60 },
      { le: Number.POSITIVE_INFINITY, count: 70 },
    ]);
    expect(bucketsBetween(parseHistogram(scrape(10, 20, 20), 'd', { stage: 'stored' }), both).map((b) => b.count)).toEqual([30, 40, 50]);
    expect(parseHistogram(text, 'other')).toEqual([]);
  });

  it('estimates percentiles linearly within a bucket, as histogram_quantile does', () => {
    const buckets = parseHistogram(scrape(50, 100, 100), 'd', { stage: 'stored' });
    expect(bucketPercentile(buckets, 50)).toBeCloseTo(0.01);
    expect(bucketPercentile(buckets, 75)).toBeCloseTo(0.055);
    expect(bucketPercentile(parseHistogram(scrape(0, 0, 10), 'd', { stage: 'stored' }), 99)).toBe(0.1);
    expect(bucketPercentile([], 50)).toBeNaN();
  });

  it('takes the mean from the sums and counts of every series', () => {
    expect(histogramMean(`${scrape(1, 2, 4)}\n${scrape(1, 2, 4)}`, 'd')).toBeCloseTo(0.25);
    expect(histogramMean('', 'd')).toBeNaN();
  });
});
