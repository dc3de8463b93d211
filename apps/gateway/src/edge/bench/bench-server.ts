/**
 * The gateway edge as the benchmark (tools/bench/gateway-bench.ts) runs it: the real RouteTable (with
 * `bench.cloud.localhost` -> BENCH_UPSTREAM among the platform's usual routes) and GatewayMetrics, access
 * log on (stdout, which the bench sends to a file), response cache on. Only the database/NATS side of the
 * control plane is left out. GATEWAY_WORKERS > 1 runs the multi-core mode.
 */
import { createLogger } from '@edd/logger';
import { RouteTable } from '@edd/route-registry';
import { GatewayMetrics } from '../../control/metrics';
import { runWorkers, startEdge, workerCount } from '../index';

const upstream = process.env['BENCH_UPSTREAM'] ?? 'http://127.0.0.1:18190';
const httpPort = Number(process.env['GATEWAY_HTTP_PORT'] ?? 18181);
const workers = workerCount(Number(process.env['GATEWAY_WORKERS'] ?? 1));
const logger = createLogger({ service: 'gateway', level: 'warn' });

// The storage and compute benchmarks (tools/bench/storage-bench.ts, compute-bench.ts) point storage.cloud.localhost
// and compute.cloud.localhost at their own processes.
const overrides: Record<string, string | undefined> = {
  'storage.': process.env['BENCH_STORAGE_UPSTREAM'],
  'compute.': process.env['BENCH_COMPUTE_UPSTREAM'],
};
const platform = ['', 'auth.', 'storage.', 'compute.', 'health.', 'notifications.', 'docs.'].map((sub, i) => ({
  host: `${sub}cloud.localhost`,
  pathPrefix: '/',
  target: overrides[sub] ?? `http://127.0.0.1:${4000 + i}`,
  stripPrefix: false,
  priority: 0,
}));
const routes = new RouteTable([
  ...platform,
  { host: 'health.cloud.localhost', pathPrefix: '/logs', target: 'http://127.0.0.1:4005', stripPrefix: false, priority: 0 },
  { host: 'bench.cloud.localhost', pathPrefix: '/', target: upstream, stripPrefix: false, priority: 0 },
]);
const metrics = new GatewayMetrics();
const containers = { lookup: () => undefined, ports: () => new Set<number>(), on: () => undefined };

await runWorkers(
  workers,
  async () => {
    const edge = await startEdge({
      config: {
        GATEWAY_HTTP_PORT: httpPort,
        GATEWAY_HTTPS_PORT: 0,
        GATEWAY_SSH_PORT: 0,
        GATEWAY_ACCESS_LOG: process.env['GATEWAY_ACCESS_LOG'] !== 'false',
        GATEWAY_BATCHED_IO: process.env['GATEWAY_BATCHED_IO'] !== 'false',
      },
      routes,
      containers,
      metrics,
      logger,
    });
    process.stderr.write(`edge ready ${edge.ports.http}\n`);
    process.once('SIGTERM', () => void edge.close(1_000).then(() => process.exit(0)));
  },
  logger,
);
