import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createHealthApi } from '../src';

// A real HTTP server on port 0 plays the health service and records what it was asked.
let server: Server;
let baseUrl: string;
const seen: Array<{ url: string; authorization: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (req.url?.startsWith('/api/metrics/nodes/nope')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: 'no node named nope', code: 'not_found' }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url?.startsWith('/api/alerts') ? { alerts: [{ id: '1' }] } : { nodes: [], pods: [], series: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
