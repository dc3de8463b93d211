import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The recorded answers, by the API path client-node asks for. */
export const FIXTURE_ROUTES: Record<string, string> = {
  '/api/v1/nodes': 'nodes.json',
  '/api/v1/pods': 'pods.json',
  '/apis/metrics.k8s.io/v1beta1/nodes': 'node-metrics.json',
  '/apis/metrics.k8s.io/v1beta1/pods': 'pod-metrics.json',
  '/api/v1/nodes/s0/proxy/stats/summary': 'stats-summary-s0.json',
  '/api/v1/nodes/s1/proxy/stats/summary': 'stats-summary-s1.json',
};

export interface FixtureApiServer {
  url: string;
  /** Paths asked, in order, with the Authorization header seen. */
  requests: Array<{ path: string; authorization: string | undefined }>;
  /** Paths that answer 503 (a missing metrics-server, an unreachable kubelet). */
  failing: Set<string>;
  /** Changes a recorded answer before it is sent (later counters, another condition). */
  rewrite: Map<string, (text: string) => string>;
  close(): Promise<void>;
}

/** A real HTTP server on loopback answering the recorded Kubernetes API responses (for the source's tests). */
export async function startFixtureApiServer(): Promise<FixtureApiServer> {
  const requests: FixtureApiServer['requests'] = [];
  const failing = new Set<string>();
  const rewrite = new Map<string, (text: string) => string>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ path, authorization: req.headers.authorization });
    const file = FIXTURE_ROUTES[path];
    if (!file || failing.has(path)) {
      res.writeHead(file ? 503 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: file ? 503 : 404, message: 'unavailable' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const text = fixture(file);
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
