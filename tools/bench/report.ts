import type { LoadResult } from './load';

export type Measured = LoadResult & { cpuUsPerReq?: number };

type PerTarget<T> = { direct: T; gateway: T; nginx: T; 'node-pipe': T };

export interface Row {
  path: string;
  /** Medians of the interleaved runs at `connections` connections. */
  direct: Measured;
  gateway: Measured;
  nginx: Measured;
  'node-pipe': Measured;
  /** req/s of every run, to show the spread. */
  spread: PerTarget<number[]>;
  /** One connection, one request at a time: latency without queueing. */
  single: PerTarget<Measured>;
}

export interface ReportInput {
  rows: Row[];
  date: string;
  command: string;
  machine: string;
  loadBefore: number;
  loadAfter: number;
  workers: number;
  connections: number;
  rounds: number;
}

const TARGET = { ratio: 0.7, cpu: 35, addedP50: 0.5 };

/** Field-wise median of several runs (req/s, latencies, CPU each taken on its own). */
export function median(runs: Measured[]): Measured {
  const pick = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
  };
  const first = runs[0] as Measured;
  const cpus = runs.map((r) => r.cpuUsPerReq).filter((v): v is number => v !== undefined);
  return {
    ...first,
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    rps: pick(runs.map((r) => r.rps)),
    p50Ms: pick(runs.map((r) => r.p50Ms)),
    p99Ms: pick(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    cpuUsPerReq: cpus.length ? pick(cpus) : undefined,
  };
}

function fmt(n: number | undefined, digits = 2): string {
  return n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

export function renderReport(input: ReportInput): { table: string; markdown: string } {
  const lines: string[] = [
    `| body | target | req/s (median) | req/s of each run | p50 ms | p99 ms | proxy CPU µs/req | p50 ms at 1 conn | errors |`,
    '|---|---|---:|---|---:|---:|---:|---:|---:|',
  ];
  const summary: string[] = [
    '| body | gateway/direct | gateway/nginx | nginx/direct | gateway CPU µs/req | nginx CPU µs/req | node-pipe CPU µs/req | added p50 at 1 conn: gateway / nginx (ms) | added p50 at 50 conns: gateway / nginx (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const verdicts: string[] = [];
  for (const row of input.rows) {
    const body = row.path === '/' ? '5 B' : '1 KiB';
    for (const name of ['direct', 'gateway', 'nginx', 'node-pipe'] as const) {
      const m = row[name];
      lines.push(
        `| ${body} | ${name} | ${m.rps.toFixed(0)} | ${row.spread[name].map((v) => v.toFixed(0)).join(', ')} | ${fmt(m.p50Ms)} | ${fmt(m.p99Ms)} | ` +
          `${fmt(m.cpuUsPerReq, 1)} | ${fmt(row.single[name].p50Ms, 3)} | ${m.errors + row.single[name].errors} |`,
      );
    }
    const gd = row.gateway.rps / row.direct.rps;
    const gn = row.gateway.rps / row.nginx.rps;
    const nd = row.nginx.rps / row.direct.rps;
    const added1 = row.single.gateway.p50Ms - row.single.direct.p50Ms;
    const added1Nginx = row.single.nginx.p50Ms - row.single.direct.p50Ms;
    const added50 = row.gateway.p50Ms - row.direct.p50Ms;
    const added50Nginx = row.nginx.p50Ms - row.direct.p50Ms;
    summary.push(
      `| ${body} | ${fmt(gd)}× | ${fmt(gn)}× | ${fmt(nd)}× | ${fmt(row.gateway.cpuUsPerReq, 1)} | ${fmt(row.nginx.cpuUsPerReq, 1)} | ${fmt(row['node-pipe'].cpuUsPerReq, 1)} | ` +
        `${fmt(added1, 3)} / ${fmt(added1Nginx, 3)} | ${fmt(added50)} / ${fmt(added50Nginx)} |`,
    );
    verdicts.push(
      `- ${body}: throughput ≥ ${TARGET.ratio}× direct: ${verdict(gd >= TARGET.ratio)} (${fmt(gd)}×, nginx ${fmt(nd)}×); ` +
        `CPU ≤ ${TARGET.cpu} µs/req: ${verdict((row.gateway.cpuUsPerReq ?? Infinity) <= TARGET.cpu)} (${fmt(row.gateway.cpuUsPerReq, 1)}, nginx ${fmt(row.nginx.cpuUsPerReq, 1)}); ` +
        `added p50 ≤ ${TARGET.addedP50} ms: at 1 connection ${verdict(added1 <= TARGET.addedP50)} (${fmt(added1, 3)} ms), ` +
        `at ${input.connections} connections ${verdict(added50 <= TARGET.addedP50)} (${fmt(added50)} ms, nginx ${fmt(added50Nginx)} ms)`,
    );
  }
  const reading: string[] = input.rows.map((row) => {
    const body = row.path === '/' ? '5 B' : '1 KiB';
    const over = (row.gateway.cpuUsPerReq ?? Number.NaN) - (row['node-pipe'].cpuUsPerReq ?? Number.NaN);
    return (
      `- ${body}: gateway ${row.gateway.rps.toFixed(0)}, nginx ${row.nginx.rps.toFixed(0)}, node-pipe ${row['node-pipe'].rps.toFixed(0)} req/s ` +
      `(direct ${row.direct.rps.toFixed(0)}). The gateway spends ${fmt(over, 1)} µs per request above the bare Node relay: ` +
      `that is all of its HTTP work (head parsing, routing, forwarding headers, cache lookup, metrics, access log).`
    );
  });
  const table = [...lines, '', ...summary, '', ...verdicts].join('\n');
  const markdown = `# Gateway benchmark

Measured by \`tools/bench/gateway-bench.ts\` (\`npm run bench\`); this file is rewritten by each run.

- Date: ${input.date}
- Machine: ${input.machine} (load average ${input.loadBefore.toFixed(2)} before, ${input.loadAfter.toFixed(2)} after: the
  machine is shared, other work running at the same time lowers every figure and widens the spread)
- Command: \`${input.command}\`
- Load: wrk, 1 thread, ${input.connections} keep-alive connections, \`Host: bench.cloud.localhost\`; per body size
  ${input.rounds} interleaved rounds of direct → gateway → nginx (2 s warm-up before the first), the median of the rounds
  is reported; then one run each at 1 connection for the added latency without queueing. Load generator,
  proxy and upstream all share the same cores.
- Upstream: node:http, \`/\` answers 5 bytes, \`/1k\` 1 KiB, \`Cache-Control: no-store\` (so the gateway's
  response cache is consulted but never answers: every request is proxied).
- Gateway: \`apps/gateway/src/edge\` (${input.workers} worker${input.workers === 1 ? '' : 's'}), access log on (JSON lines to a file),
  response cache on, pooled keep-alive upstream connections.
- nginx: Debian's nginx, 1 worker, \`keepalive 64\` upstream, \`proxy_http_version 1.1\`, the same forwarding
  headers and X-Request-ID, access log on (one unbuffered JSON line per request).
- node-pipe: not a proxy, a blind 1:1 TCP relay written in Node (\`tools/bench/bench-pipe.ts\`): what
  socket I/O alone costs a Node process, i.e. the floor under any Node proxy's CPU per request.
- Proxy CPU: utime + stime of the proxy's processes (from \`/proc/<pid>/stat\`) during the measured run,
  divided by the number of requests.

## Results

${table}

## Reading the numbers

${reading.join('\n')}

When the gateway, nginx and the blind relay land at about the same req/s, the ceiling is the machine, not
the proxy: wrk, the upstream and the proxy share two cores, and every extra process in the path adds the
same loopback/kernel work (two more socket reads and writes per request). The ratio to direct then says
more about the machine than about the proxy; CPU per request and the comparison with nginx measured in
the same run are the stable figures. Figures move by tens of percent between runs when other work is
running on the machine (see the per-run req/s column).

## Targets (issue: gateway)

≥ ${TARGET.ratio}× direct throughput, ≤ ${TARGET.cpu} µs of CPU per proxied request, ≤ ${TARGET.addedP50} ms added p50, measured in
the same run as nginx. The reference measurement on this machine: nginx 0.66× at about 29 µs/request,
a straightforward Node proxy 0.25–0.34× at 85–107 µs.

## How the gateway gets there

- Raw \`node:net\` sockets, no \`http.Server\`, no request/response objects: each connection is one
  \`ClientConnection\` whose fields hold the current exchange; listeners are attached once per socket.
- The request head is parsed as one latin1 string in a single pass that also builds the forwarded header
  block (hop-by-hop fields cut out by slicing, not by building header objects); only the dozen header
  names that matter are even lower-cased.
- Upstream connections are pooled per target and keep their listeners for life; the owner pointer
  changes per request.
- Head and small body leave in one \`write\` (one buffer); bigger bodies are corked and written together.
- A coarse clock (one interval) provides "now", the Date header and all deadlines: no timers per request.
- Request ids are a random per-process prefix plus a counter.
- The access log builds its JSON line by hand and writes its lines in batches (one write per 50 ms or
  64 KiB; the generic logger measured 8–9 µs per call).
- Head parsing compares field names in place (length, then letters) instead of lower-casing copies,
  and checks bare CR/LF with two \`indexOf\` per line instead of a regular expression over the head.
`;
  return { table, markdown };
}
