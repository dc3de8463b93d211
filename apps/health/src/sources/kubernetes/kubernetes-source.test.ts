import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFor, startFixtureApiServer, type FixtureApiServer } from './fixture-api-server';
import { createKubernetesSource } from './kubernetes-source';
import { parseQuantity } from './quantity';

let api: FixtureApiServer;
beforeAll(async () => {
  api = await startFixtureApiServer();
});
afterAll(() => api.close());

describe('kubernetes source on the hand-written answer set', () => {
  it('reads nodes from the Node list, metrics.k8s.io and each kubelet summary, with the kubeconfig’s credentials', async () => {
    const source = createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) });
    const snapshot = await source.collect();
    expect(snapshot.nodes).toEqual([
      {
        name: 's0',
        cpuUsedCores: expect.closeTo(1.187412354, 9),
        cpuCapacityCores: 4,
        memoryUsedBytes: 6520332 * 1024,
        memoryCapacityBytes: 16283800 * 1024,
        diskUsedBytes: 23407226880,
        diskCapacityBytes: 62725623808,
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'DiskPressure', status: 'False' },
          { type: 'PIDPressure', status: 'False' },
        ],
      },
      expect.objectContaining({
        name: 's1',
        cpuUsedCores: expect.closeTo(0.412, 9),
        diskUsedBytes: 29000579892,
        conditions: expect.arrayContaining([{ type: 'MemoryPressure', status: 'True' }]),
      }),
    ]);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set(['Bearer fixture-token']));
  });

  it('attributes pods by namespace and name: two pods both named "container" keep their own node, owner and usage', async () => {
    const snapshot = await createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) }).collect();
    const byKey = Object.fromEntries(snapshot.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
    expect(Object.keys(byKey).sort()).toEqual([
      'compute-aaaa1111/container',
      'compute-bbbb2222/container',
      'core/simple-file-share-backend-6d9f7c8b5-x2k9q',
    ]);
    expect(byKey['compute-aaaa1111/container']).toEqual({
      namespace: 'compute-aaaa1111',
      name: 'container',
      node: 's1',
      ownerId: 'Xk3Lm9',
      containerId: 'aaaa1111',
      phase: 'Running',
      restarts: 3,
      oomKilled: true,
      cpuUsedNanocores: 231772154,
      memoryUsedBytes: 402128 * 1024,
      diskUsedBytes: 52428800,
      cpuCapacityNanocores: 500_000_000,
      memoryCapacityBytes: 512 * 1024 * 1024,
      diskCapacityBytes: 1024 ** 3,
    });
    // Owner ids differing only in case stay two owners (the original lowercased one side).
    expect(byKey['compute-bbbb2222/container']).toMatchObject({ node: 's0', ownerId: 'xk3lm9', oomKilled: false, diskUsedBytes: 73728 });
    // The platform's own pod has no owner: only admins see it.
    expect(byKey['core/simple-file-share-backend-6d9f7c8b5-x2k9q']).toMatchObject({ restarts: 1, cpuUsedNanocores: 3_000_000 });
    expect(byKey['core/simple-file-share-backend-6d9f7c8b5-x2k9q']?.ownerId).toBeUndefined();
  });

  it('a missing metrics-server or kubelet leaves zeros for those figures instead of failing the sample', async () => {
    api.failing.add('/apis/metrics.k8s.io/v1beta1/nodes');
    api.failing.add('/api/v1/nodes/s1/proxy/stats/summary');
    try {
      const snapshot = await createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) }).collect();
      expect(snapshot.nodes.map((n) => n.cpuUsedCores)).toEqual([0, 0]);
      // Without s1's summary its disk falls back to the allocatable ephemeral storage, used 0.
      expect(snapshot.nodes[1]).toMatchObject({ diskUsedBytes: 0, diskCapacityBytes: 29794816975 });
      expect(snapshot.pods.find((p) => p.namespace === 'compute-aaaa1111')?.diskUsedBytes).toBe(0);
    } finally {
      api.failing.clear();
    }
  });

  it('turns the kubelet’s cumulative network counters into rates between two samples', async () => {
    const source = createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) });
    const first = await source.collect();
    expect(first.nodes[0]?.networkRxBytesPerSec).toBeUndefined();
    // s0 received 10 MB more on eth0 since.
    api.rewrite.set('/api/v1/nodes/s0/proxy/stats/summary', (text) =>
      text.replaceAll('"rxBytes": 918273645512', '"rxBytes": 918283645512'),
    );
    try {
      const second = await source.collect();
      expect(second.nodes[0]?.networkRxBytesPerSec).toBeGreaterThan(0);
      expect(second.nodes[0]?.networkTxBytesPerSec).toBe(0);
      expect(second.nodes[1]?.networkRxBytesPerSec).toBe(0);
    } finally {
      api.rewrite.clear();
    }
  });

  it('fails the sample when the API server itself does not answer the Node list', async () => {
    api.failing.add('/api/v1/nodes');
    try {
      await expect(createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) }).collect()).rejects.toThrow();
    } finally {
      api.failing.clear();
    }
  });
});

describe('quantities', () => {
  it('reads CPU and memory suffixes, exponents and plain numbers', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1187412354n')).toBeCloseTo(1.187412354, 9);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('500M')).toBe(5e8);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
  });

  it('reads nonsense as undefined instead of throwing (the original panicked)', () => {
    for (const bad of ['', 'abc', '12Q', '1..2', 'Mi', undefined, null]) expect(parseQuantity(bad)).toBeUndefined();
  });
});
