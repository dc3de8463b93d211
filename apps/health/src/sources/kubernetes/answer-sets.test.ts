import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Node } from 'kubernetes-models/v1/Node';
import { Pod } from 'kubernetes-models/v1/Pod';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, kubeConfigFor, startFixtureApiServer } from './fixture-api-server';
import { CLUSTER_PATHS, statsSummaryPath } from './kube-api';
import { createKubernetesSource } from './kubernetes-source';
import { recordFixtures } from './record-fixtures';
import { implausibilities } from './snapshot-checks';

interface ListOf<T> {
  kind: string;
  items: T[];
}

const readJson = async (directory: URL, file: string): Promise<unknown> => JSON.parse(await readFile(new URL(file, directory), 'utf8'));

// The hand-written set always; a set recorded from a cluster (record-fixtures-cli.ts) when HEALTH_K8S_FIXTURES names one.
const recordedDirectory = process.env.HEALTH_K8S_FIXTURES;
const answerSets: Array<[string, URL]> = [['hand-written', DEFAULT_FIXTURES]];
if (recordedDirectory)
  answerSets.push(['recorded', pathToFileURL(recordedDirectory.endsWith('/') ? recordedDirectory : `${recordedDirectory}/`)]);

describe.each(answerSets)('the %s answer set', (_name, directory) => {
  it('holds Node and Pod lists whose items validate against the Kubernetes schemas', async () => {
    const nodes = (await readJson(directory, 'nodes.json')) as ListOf<ConstructorParameters<typeof Node>[0]>;
    const pods = (await readJson(directory, 'pods.json')) as ListOf<ConstructorParameters<typeof Pod>[0]>;
    expect([nodes.kind, pods.kind]).toEqual(['NodeList', 'PodList']);
    // metrics.k8s.io has no schema package here; its lists are checked by kind and version.
    for (const file of ['node-metrics.json', 'pod-metrics.json']) {
      expect(await readJson(directory, file)).toMatchObject({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: expect.stringMatching(/MetricsList$/),
      });
    }
    expect(nodes.items.length).toBeGreaterThan(0);
    // The API leaves kind and apiVersion out of a list's items; the models put them back before validating.
    for (const item of nodes.items) expect(() => new Node(item).validate()).not.toThrow();
    for (const item of pods.items) expect(() => new Pod(item).validate()).not.toThrow();
  });

  it('gives a plausible snapshot in which every pod that has not finished is known by namespace and name', async () => {
    const api = await startFixtureApiServer(directory);
    try {
      const snapshot = await createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) }).collect();
      expect(implausibilities(snapshot)).toEqual([]);
      // Finished pods (phase Succeeded, e.g. a Job's) use nothing and are left out.
      const pods = (await readJson(directory, 'pods.json')) as ListOf<{
        metadata: { namespace: string; name: string };
        status?: { phase?: string };
      }>;
      const running = pods.items.filter((p) => p.status?.phase !== 'Succeeded');
      expect(snapshot.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(
        running.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort(),
      );
    } finally {
      await api.close();
    }
  });
});

describe('the plausibility checks', () => {
  it('catch a node without capacity, usage over capacity and a pod on an unlisted node', async () => {
    const api = await startFixtureApiServer();
    api.rewrite.set(CLUSTER_PATHS.nodes, (text) => text.replace(/"cpu": "4"/g, '"cpu": "0"'));
    api.rewrite.set(CLUSTER_PATHS.pods, (text) => text.replace(/"nodeName": "s1"/, '"nodeName": "s9"'));
    try {
      const found = implausibilities(await createKubernetesSource({ kubeConfig: kubeConfigFor(api.url) }).collect());
      expect(found).toContain('node s0: no CPU capacity');
      expect(found.some((line) => /^node s0 CPU used is .*, over its capacity 0$/.test(line))).toBe(true);
      expect(found.some((line) => / on unlisted node s9$/.test(line))).toBe(true);
    } finally {
      await api.close();
    }
  });
});

describe('recording a cluster’s answers', () => {
  it('writes every answer the source reads, as sent, in the layout the fixture server serves', async () => {
    const api = await startFixtureApiServer();
    api.failing.add(statsSummaryPath('s1'));
    const out = await mkdtemp(join(tmpdir(), 'k8s-answers-'));
    const directory = pathToFileURL(`${out}/`);
    try {
      const recorded = await recordFixtures(kubeConfigFor(api.url), directory);
      expect(recorded.missing).toEqual([statsSummaryPath('s1')]);
      expect((await readdir(out)).sort()).toEqual(
        ['node-metrics.json', 'nodes.json', 'pod-metrics.json', 'pods.json', 'stats-summary-s0.json'].sort(),
      );
      for (const file of recorded.files) expect(await readJson(directory, file)).toEqual(await readJson(DEFAULT_FIXTURES, file));
      expect(api.requests.every((r) => r.authorization === 'Bearer fixture-token')).toBe(true);
    } finally {
      await api.close();
      await rm(out, { recursive: true, force: true });
    }
  });

  it('fails when the API server does not answer the Node list', async () => {
    const api = await startFixtureApiServer();
    api.failing.add(CLUSTER_PATHS.nodes);
    const out = await mkdtemp(join(tmpdir(), 'k8s-answers-'));
    try {
      await expect(recordFixtures(kubeConfigFor(api.url), pathToFileURL(`${out}/`))).rejects.toThrow(/\/api\/v1\/nodes: 503/);
    } finally {
      await api.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});

// Against the cluster KUBECONFIG points at; skipped (and said so) without one.
describe.skipIf(!process.env.KUBECONFIG)('a real cluster (KUBECONFIG)', () => {
  it('gives a plausible snapshot twice, the second with network rates', async () => {
    const source = createKubernetesSource();
    try {
      expect(implausibilities(await source.collect())).toEqual([]);
      const second = await source.collect();
      expect(implausibilities(second)).toEqual([]);
    } finally {
      await source.close();
    }
  }, 60_000);
});
