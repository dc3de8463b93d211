/**
 * Instructions per proxied request under callgrind (see instructions.ts) for the gateway edge, the floor of its
 * socket I/O (a blind relay reading and writing as the edge does), the blind Node relay through streams
 * (node-pipe) and nginx (one process). Repeatable on a loaded machine, unlike req/s or CPU µs: use it to find and
 * hold per-request cost; wall-clock figures come from `npm run bench` on a quiet machine.
 *
 *   npx tsx tools/bench/gateway-instructions.ts [--requests 2000 --warmup 10000 --connections 1 --path / --top --single-threaded
 *     --only gateway|floor|node-pipe|nginx --no-access-log --cache-sim --node-flag=<a flag for the proxy's node, repeatable>]
 *
 * The warm-up must outlast V8's tiering: natively the gateway's last hot functions are optimised after about 4,400
 * requests (`node --trace-opt`; under callgrind one run warmed with 5,000 still compiled in the window), and a
 * compilation inside the window counts as per-request work (with --single-threaded it runs on the main thread).
 * --top prints where the window's instructions went, by kind and by function (callgrind-breakdown.ts); it runs
 * Node with --perf-basic-prof to name the JIT-compiled functions.
 *
 * --cache-sim also has callgrind simulate the first-level caches and the branch predictor and prints their misses per
 * request: a model (its cache sizes, no TLB, no out-of-order core), to compare proxies with, not a measurement.
 *
 * --single-threaded runs V8 without background GC and compiler threads: their work lands on the main thread and
 * the count varies less between runs (the CI guard, gateway-instructions.test.ts, uses it).
 */
import { parseArgs } from 'node:util';
import { countInstructions, proxies, startBenchUpstream, valgrindAvailable } from './instructions';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '1' },
    path: { type: 'string', default: '/' },
    only: { type: 'string' },
    'no-access-log': { type: 'boolean', default: false },
    top: { type: 'boolean', default: false },
    'single-threaded': { type: 'boolean', default: false },
    'cache-sim': { type: 'boolean', default: false },
    /** Extra flags for the proxy's node (repeatable), e.g. --node-flag=--max-semi-space-size=16. */
    'node-flag': { type: 'string', multiple: true, default: [] },
  },
});

if (!valgrindAvailable()) {
  process.stderr.write('valgrind (callgrind) is not installed: apt-get install valgrind\n');
  process.exit(2);
}
const cwd = new URL('../..', import.meta.url).pathname;
const { port: upstreamPort, process: upstream } = await startBenchUpstream(cwd);
try {
  for (const proxy of await proxies(cwd, upstreamPort, !values['no-access-log'], values.only)) {
    const count = await countInstructions(proxy, {
      upstreamPort,
      host: 'bench.cloud.localhost',
      path: values.path,
      warmup: Number(values.warmup),
      requests: Number(values.requests),
      connections: Number(values.connections),
      cwd,
      simulateCaches: values['cache-sim'],
      // --perf-basic-prof: Node writes a map of its JIT code, so the breakdown names JavaScript functions.
      nodeFlags: [
        ...(values['single-threaded'] ? ['--single-threaded'] : []),
        ...(values.top ? ['--perf-basic-prof'] : []),
        ...values['node-flag'],
      ],
    });
    process.stdout.write(
      `${count.name.padEnd(10)} ${Math.round(count.perRequest).toLocaleString('en').padStart(10)} instructions/request (${count.requests} requests)\n`,
    );
    if (values['cache-sim']) {
      const e = count.events;
      const per = (n: number | undefined): string => Math.round(n ?? Number.NaN).toLocaleString('en');
      process.stdout.write(
        `${''.padEnd(10)} simulated per request: I1 misses ${per(e['I1mr'])}, D1 misses ${per((e['D1mr'] ?? 0) + (e['D1mw'] ?? 0))}, ` +
          `last-level misses ${per((e['ILmr'] ?? 0) + (e['DLmr'] ?? 0) + (e['DLmw'] ?? 0))}, branches mispredicted ` +
          `${per(e['Bcm'])} of ${per(e['Bc'])} conditional and ${per(e['Bim'])} of ${per(e['Bi'])} indirect\n`,
      );
    }
    if (values.top) process.stdout.write(`${count.top}\n`);
  }
} finally {
  upstream.kill('SIGTERM');
}
