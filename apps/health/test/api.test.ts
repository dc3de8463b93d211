import { clusterInfoSchema, metricsSeriesSchema, podMetricsInfoSchema } from '@edd/api-contracts';
import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createHostSource } from '../src/sources/host/host-source';
import { nodeSample, podSample } from './fixtures';
import { get, ScriptedSource, startHealth, type Health, type TestUser } from './harness';

let health: Health;
let source: ScriptedSource;
let admin: TestUser;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  source = new ScriptedSource();
  health = await startHealth('api', { source });
  admin = await health.user('admin', { isAdmin: true });
  alice = await health.user('alice');
  bob = await health.user('bob');
  source.next = {
    nodes: [nodeSample()],
    pods: [
      podSample({ namespace: 'compute-aaaa1111', name: 'container', ownerId: alice.userId, containerId: 'aaaa1111' }),
      // Same pod name, another namespace and owner whose id differs from alice's only in case.
      podSample({ namespace: 'compute-bbbb2222', name: 'container', ownerId: alice.userId.toLowerCase(), containerId: 'bbbb2222' }),
      podSample({ namespace: 'core', name: 'storage-0' }),
    ],
  };
  await waitFor(async () => (await get<{ nodes: unknown[] }>(health.url, '/cluster-info', admin.token)).body.nodes?.length === 1);
});
afterAll(() => health?.close());

describe('current figures', () => {
  it('GET /cluster-info: an admin gets the nodes in the original shape', async () => {
    const res = await get<{ timestamp: string; nodes: Array<Record<string, unknown>> }>(health.url, '/cluster-info', admin.token);
    expect(res.status).toBe(200);
    expect(res.body.nodes[0]).toEqual({
      name: 'node-a',
      cpu_usage: '500m',
      memory_usage: `${4 * 1024 * 1024}Ki`,
      cpu_capacity: '2000m',
      memory_capacity: `${16 * 1024 * 1024}Ki`,
      cpu_percent: 25,
      memory_percent: 25,
      disk_capacity: 100 * 1024 ** 3,
      disk_usage: 20 * 1024 ** 3,
      disk_percent: 20,
      conditions: [],
    });
    expect(Date.parse(res.body.timestamp)).toBeGreaterThan(0);
    expect(clusterInfoSchema.safeParse(res.body).success).toBe(true);
  });

  it('GET /cluster-info: 401 anonymous, 403 for a user, 403 for an admin’s API token', async () => {
    expect((await get(health.url, '/cluster-info')).status).toBe(401);
    expect((await get(health.url, '/cluster-info', alice.token)).body).toMatchObject({ code: 'admin_required' });
    const adminToken = (await health.user('admin', { isAdmin: true })).apiToken({});
    expect((await get(health.url, '/cluster-info', adminToken)).status).toBe(403);
  });

  it('GET /pod-metrics: a user sees only their own containers (owner matched exactly, case included); an admin sees all', async () => {
    const mine = await get<{ pods: Array<{ namespace: string; owner_id: string }> }>(health.url, '/pod-metrics', alice.token);
    expect(mine.status).toBe(200);
    expect(mine.body.pods.map((p) => p.namespace)).toEqual(['compute-aaaa1111']);
    expect((await get<{ pods: unknown[] }>(health.url, '/pod-metrics', bob.token)).body.pods).toEqual([]);
    const all = await get<{ pods: Array<{ namespace: string }> }>(health.url, '/pod-metrics', admin.token);
    expect(all.body.pods.map((p) => p.namespace).sort()).toEqual(['compute-aaaa1111', 'compute-bbbb2222', 'core']);
    expect(podMetricsInfoSchema.safeParse(all.body).success).toBe(true);
    expect(all.body.pods[0]).toMatchObject({ name: 'container', node: 'node-a', cpu_usage: 1000, memory_capacity: 512 * 1024 * 1024 });
  });

  it('GET /pod-metrics: an API token needs compute.<uid>.containers read', async () => {
    expect((await get(health.url, '/pod-metrics', alice.apiToken({}))).body).toMatchObject({ code: 'scope_missing' });
    const scoped = alice.apiToken({ [`compute.${alice.userId}.containers`]: ['read'] });
    expect((await get<{ pods: unknown[] }>(health.url, '/pod-metrics', scoped)).body.pods).toHaveLength(1);
    expect((await get(health.url, '/pod-metrics')).status).toBe(401);
  });
});

describe('history', () => {
  it('GET /api/metrics/nodes: the last hour in raw samples by default, per node', async () => {
    const res = await get<{ resolution: string; start: string; end: string; series: Record<string, Array<{ t: number; cpu: number }>> }>(
      health.url,
      '/api/metrics/nodes',
      admin.token,
    );
    expect(res.status).toBe(200);
    expect(res.body.resolution).toBe('raw');
    expect(Date.parse(res.body.end) - Date.parse(res.body.start)).toBe(3600_000);
    expect(metricsSeriesSchema.safeParse(res.body).success).toBe(true);
    expect(res.body.series['node-a']?.length).toBeGreaterThan(0);
    expect(res.body.series['node-a']?.[0]).toMatchObject({ cpu: 25, mem: 25, disk: 20, t: expect.any(Number) });
  });

  it('chooses the roll-up by window, and honours an explicit resolution', async () => {
    const now = Date.now();
    const resolutionFor = async (query: string) =>
      (await get<{ resolution: string }>(health.url, `/api/metrics/nodes?${query}`, admin.token)).body.resolution;
    expect(await resolutionFor(`start=${now - 6 * 3600_000}&end=${now}`)).toBe('1m');
    expect(await resolutionFor(`start=${new Date(now - 24 * 3600_000).toISOString()}&end=${new Date(now).toISOString()}`)).toBe('5m');
    expect(await resolutionFor(`start=${now - 7 * 24 * 3600_000}`)).toBe('15m');
    const minute = await get<{ series: Record<string, unknown[]> }>(health.url, '/api/metrics/nodes?resolution=1m', admin.token);
    expect(minute.body.series['node-a']?.length).toBeGreaterThan(0);
  });

  it('answers 400 for a bad window or resolution, 404 for an unknown node, 403 for a user', async () => {
    for (const query of ['start=yesterday', 'start=2000&end=1000', 'resolution=2m', `start=0&end=${40 * 24 * 3600_000}`]) {
      const res = await get(health.url, `/api/metrics/nodes?${query}`, admin.token);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request' });
    }
    expect((await get(health.url, '/api/metrics/nodes/nope', admin.token)).status).toBe(404);
    const one = await get<{ series: Record<string, unknown[]> }>(health.url, '/api/metrics/nodes/node-a', admin.token);
    expect(Object.keys(one.body.series)).toEqual(['node-a']);
    expect((await get(health.url, '/api/metrics/nodes', alice.token)).status).toBe(403);
  });

  it('GET /api/metrics/pods: a user’s own series keyed namespace/pod; another’s namespace is 403', async () => {
    const mine = await get<{ series: Record<string, unknown[]> }>(health.url, '/api/metrics/pods', alice.token);
    expect(Object.keys(mine.body.series)).toEqual(['compute-aaaa1111/container']);
    const named = await get<{ series: Record<string, unknown[]> }>(health.url, '/api/metrics/pods?namespace=compute-aaaa1111', alice.token);
    expect(Object.keys(named.body.series)).toEqual(['compute-aaaa1111/container']);
    expect((await get(health.url, '/api/metrics/pods?namespace=compute-bbbb2222', alice.token)).status).toBe(403);
    expect((await get(health.url, '/api/metrics/pods?namespace=core', bob.token)).status).toBe(403);
    const all = await get<{ series: Record<string, unknown[]> }>(health.url, '/api/metrics/pods?namespace=core', admin.token);
    expect(Object.keys(all.body.series)).toEqual(['core/storage-0']);
  });
});

describe('live', () => {
  it('GET /sse/health: a user gets pods only (their own), an admin gets cluster and pods; anonymous 401', async () => {
    expect((await get(health.url, '/sse/health')).status).toBe(401);
    const read = async (token: string) => {
      const controller = new AbortController();
      const res = await fetch(`${health.url}/sse/health`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      const messages: Array<{ type: string; payload: { pods?: Array<{ owner_id: string }>; nodes?: unknown[] } }> = [];
      // The latest sample at once, then one per new sample.
      while (messages.length < 3) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) messages.push(JSON.parse(data.slice(6)));
        }
      }
      controller.abort();
      return messages;
    };
    const userMessages = await read(alice.token);
    expect(new Set(userMessages.map((m) => m.type))).toEqual(new Set(['pods']));
    expect(userMessages.flatMap((m) => m.payload.pods ?? []).every((p) => p.owner_id === alice.userId)).toBe(true);
    const adminMessages = await read(admin.token);
    expect(new Set(adminMessages.map((m) => m.type))).toEqual(new Set(['cluster', 'pods']));
  });

  it('GET /sse/cluster-info is an admin’s (403 for a user)', async () => {
    expect((await get(health.url, '/sse/cluster-info', alice.token)).body).toMatchObject({ code: 'admin_required' });
  });

  it('WS /ws/pod-metrics sends the filtered figures on connect and on each sample; /ws/cluster-info refuses a user', async () => {
    const frames: Array<{ pods: Array<{ owner_id: string }> }> = [];
    const socket = new WebSocket(`${health.url.replace('http', 'ws')}/ws/pod-metrics`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    await waitFor(() => frames.length >= 2);
    socket.close();
    expect(frames.every((f) => f.pods.length === 1 && f.pods[0]?.owner_id === alice.userId)).toBe(true);

    const refused = new WebSocket(`${health.url.replace('http', 'ws')}/ws/cluster-info`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    const status = await new Promise<number | undefined>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      refused.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });
});

describe('host source through the API', () => {
  it('shows this machine as one node with its capacity, memory and disk', async () => {
    const host = await startHealth('host', { source: createHostSource({ nodeName: 'this-machine' }) });
    try {
      const hostAdmin = await host.user('admin', { isAdmin: true });
      await waitFor(
        async () => (await get<{ nodes: Array<{ name: string }> }>(host.url, '/cluster-info', hostAdmin.token)).body.nodes?.length === 1,
      );
      const res = await get<{ nodes: Array<{ name: string; cpu_capacity: string; memory_percent: number; disk_percent: number }> }>(
        host.url,
        '/cluster-info',
        hostAdmin.token,
      );
      expect(res.body.nodes[0]).toMatchObject({ name: 'this-machine', cpu_capacity: expect.stringMatching(/^\d+m$/) });
      expect(res.body.nodes[0]?.memory_percent).toBeGreaterThan(0);
      expect(res.body.nodes[0]?.disk_percent).toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });
});
