import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createHealthApi } from '../src';
import { json, startFakeService, type FakeService } from './support/fake-service';

// A real HTTP server on port 0 plays the health service and records what it was asked.
let service: FakeService;
let baseUrl: string;
const seen: Array<{ url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  service = await startFakeService(({ url, headers }, res) => {
    seen.push({ url, authorization: headers.authorization });
    if (url.startsWith('/api/metrics/nodes/nope')) return json(res, 404, { error: 'no node named nope', code: 'not_found' });
    json(res, 200, url.startsWith('/api/alerts') ? { alerts: [{ id: '1' }] } : { nodes: [], pods: [], series: {} });
  });
  baseUrl = service.url;
});
afterAll(() => service.close());

describe('health client', () => {
  it('asks each path with its window and filters, with the bearer token', async () => {
    const api = createHealthApi({ baseUrl, token: 'tok' });
    await api.clusterInfo();
    await api.podMetrics();
    await api.nodeSeries({ start: 1000, end: 2000, resolution: '1m' });
    await api.nodeSeriesOf('node a', { start: '2026-01-01T00:00:00Z' });
    await api.podSeries({ namespace: 'compute-x' });
    expect(await api.alerts({ state: 'firing', limit: 5 })).toEqual([{ id: '1' }]);
    expect(seen.map((s) => s.url)).toEqual([
      '/cluster-info',
      '/pod-metrics',
      '/api/metrics/nodes?start=1000&end=2000&resolution=1m',
      '/api/metrics/nodes/node%20a?start=2026-01-01T00%3A00%3A00Z',
      '/api/metrics/pods?namespace=compute-x',
      '/api/alerts?state=firing&limit=5',
    ]);
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set(['Bearer tok']));
  });

  it('turns an error answer into an ApiError with its code', async () => {
    const error = await createHealthApi({ baseUrl })
      .nodeSeriesOf('nope')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });
});
