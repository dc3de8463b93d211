import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { CLUSTER_PATHS } from './kube-api';

/** The hand-written set, in the API's own format (see fixtures/README.md). */
export const DEFAULT_FIXTURES = new URL('./fixtures/', import.meta.url);

type ClusterAnswer = keyof typeof CLUSTER_PATHS;

/** The file of each cluster-wide answer. */
export const FIXTURE_FILES: Record<ClusterAnswer, string> = {
  nodes: 'nodes.json',
  pods: 'pods.json',
  nodeMetrics: 'node-metrics.json',
  podMetrics: 'pod-metrics.json',
};

export const CLUSTER_ANSWERS = Object.keys(CLUSTER_PATHS) as ClusterAnswer[];

const FILE_BY_PATH = new Map<string, string>(CLUSTER_ANSWERS.map((answer) => [CLUSTER_PATHS[answer], FIXTURE_FILES[answer]]));

/** The file of one node's kubelet summary. */
export const statsSummaryFile = (node: string): string => `stats-summary-${node}.json`;

const STATS_SUMMARY_PATH = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/stats\/summary$/;

const decoded = (part: string | undefined): string | undefined => {
  try {
    return part === undefined ? undefined : decodeURIComponent(part);
  } catch {
    return undefined;
  }
};

/** The file holding the answer to an API path, or undefined for a path the set does not answer. */
export function fixtureFileFor(path: string): string | undefined {
  const fixed = FILE_BY_PATH.get(path);
  if (fixed) return fixed;
  const node = decoded(STATS_SUMMARY_PATH.exec(path)?.[1]);
  // Node names are DNS subdomains; anything else is not a name the set can hold (and never a path outside it).
  return node !== undefined && /^[a-z0-9][a-z0-9.-]*$/.test(node) ? statsSummaryFile(node) : undefined;
}

export interface FixtureApiServer {
  url: string;
  /** Paths asked, in order, with the Authorization header seen. */
  requests: Array<{ path: string; authorization: string | undefined }>;
  /** Paths that answer 503 (a missing metrics-server, an unreachable kubelet). */
  failing: Set<string>;
  /** Changes an answer before it is sent (later counters, another condition). */
  rewrite: Map<string, (text: string) => string>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback answering Kubernetes API requests from a directory of answers (for the source's
 * tests): the hand-written set by default, or a set recorded from a cluster by record-fixtures.ts.
 */
export async function startFixtureApiServer(directory: URL = DEFAULT_FIXTURES): Promise<FixtureApiServer> {
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(new URL(file, directory), 'utf8');
    } catch {
      return undefined;
    }
  };
  const requests: FixtureApiServer['requests'] = [];
  const failing = new Set<string>();
  const rewrite = new Map<string, (text: string) => string>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, authorization: req.headers.authorization });
    const file = fixtureFileFor(path);
    const text = file === undefined || failing.has(path) ? undefined : read(file);
    if (text === undefined) {
      res.writeHead(file ? 503 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: file ? 503 : 404, message: 'unavailable' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(rewrite.get(path)?.(text) ?? text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failing,
    rewrite,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A kubeconfig that reads the fixture server `server` (its URL) as a token-holding user, as a real one would. */
export function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fixture', server, skipTLSVerify: true }],
    users: [{ name: 'reader', token: 'fixture-token' }],
    contexts: [{ name: 'fixture', cluster: 'fixture', user: 'reader' }],
    currentContext: 'fixture',
  });
  return kc;
}
