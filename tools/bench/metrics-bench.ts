/**
 * Micro-benchmark of the gateway's per-request metric updates: what one proxied request costs in
 * `requestFinished(route, status, seconds)` + `upstreamLatency(seconds)` with
 *   hand-written   - apps/gateway's GatewayMetrics (nested maps of counters, fixed-bucket histograms)
 *   prom-client    - a Counter{route,status} and two Histograms, labels passed as an object per call
 *   prom-client+   - the same, with the labelled child looked up once per route/status and reused
 * Same labels (20 routes x 4 statuses), same durations, interleaved rounds, median ns per request.
 * In process and single-threaded, so it measures CPU per update, not the machine's load; still, run it on a quiet machine.
 *
 *   npx tsx tools/bench/metrics-bench.ts [--requests 2000000] [--rounds 7]
 */
import { parseArgs } from 'node:util';
import { Counter, Histogram, Registry } from 'prom-client';
import type { Counter as CounterType } from 'prom-client';
import { median } from './stats';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000000' }, rounds: { type: 'string', default: '7' } } });
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface EdgeMetrics {
  requestFinished(routeLabel: string, status: number, durationSeconds: number): void;
  upstreamLatency(seconds: number): void;
  render(): string | Promise<string>;
}

// The gateway's own class, loaded by path as gateway-bench.ts runs the gateway's files (tools never import an app).
const gatewayMetricsFile = new URL('../../apps/gateway/src/control/metrics.ts', import.meta.url).href;
const { GatewayMetrics } = (await import(gatewayMetricsFile)) as { GatewayMetrics: new () => EdgeMetrics };

function promClient(cacheChildren: boolean): EdgeMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'gateway_requests_total', help: 'h', labelNames: ['route', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'gateway_request_duration_seconds', help: 'h', buckets: BOUNDS, registers: [registry] });
  const upstream = new Histogram({ name: 'gateway_upstream_latency_seconds', help: 'h', buckets: BOUNDS, registers: [registry] });
  const children = new Map<string, Map<number, CounterType.Internal>>();
  return {
    requestFinished(route, status, seconds) {
      if (cacheChildren) {
        let byStatus = children.get(route);
        if (!byStatus) children.set(route, (byStatus = new Map()));
        let child = byStatus.get(status);
        if (!child) byStatus.set(status, (child = requests.labels(route, String(status))));
        child.inc();
      } else {
        requests.inc({ route, status });
      }
      duration.observe(seconds);
    },
    upstreamLatency: (seconds) => upstream.observe(seconds),
    render: () => registry.metrics(),
  };
}

// The workload: what the edge passes per request.
const routes = Array.from({ length: 20 }, (_, i) => `svc${i}.cloud.localhost/api/${i}`);
const statuses = [200, 200, 200, 304, 404, 500];
const N = 1 << 16;
const routeOf = Array.from({ length: N }, (_, i) => routes[(i * 7919) % routes.length] as string);
const statusOf = Array.from({ length: N }, (_, i) => statuses[(i * 104729) % statuses.length] as number);
const secondsOf = Float64Array.from({ length: N }, (_, i) => 0.0002 + ((i * 2654435761) % 1000) / 20_000);

function run(metrics: EdgeMetrics): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    const k = i & (N - 1);
    const seconds = secondsOf[k] as number;
    metrics.upstreamLatency(seconds / 2);
    metrics.requestFinished(routeOf[k] as string, statusOf[k] as number, seconds);
  }
  return Number(process.hrtime.bigint() - started) / REQUESTS;
}

const candidates: Array<[string, () => EdgeMetrics]> = [
  ['hand-written (GatewayMetrics)', () => new GatewayMetrics()],
  ['prom-client, labels object per call', () => promClient(false)],
  ['prom-client, cached labelled child', () => promClient(true)],
];
const results = new Map<string, number[]>(candidates.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, make] of candidates) {
    const metrics = make();
    const ns = run(metrics);
    await metrics.render(); // keep the work observable
    if (round > 0) results.get(name)?.push(ns); // round 0 warms the JIT
  }
}

console.log(
  `per request (requestFinished + upstreamLatency), ${REQUESTS} requests x ${ROUNDS - 1} measured rounds, node ${process.version}`,
);
for (const [name, ns] of results)
  console.log(`  ${name.padEnd(40)} ${median(ns).toFixed(1).padStart(7)} ns  (runs: ${ns.map((n) => n.toFixed(0)).join(' ')})`);
