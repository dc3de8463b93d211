import { ERROR_KINDS, noErrors, type ErrorKinds, type LoadResult } from './load';
import { formatLoad, stealPercent, type MachineSample } from './machine';
import { median as medianOf } from './stats';

/** A load run, with the proxy's CPU per request: in all, and the part in user mode (the rest is the kernel's). */
export type Measured = LoadResult & { cpuUsPerReq?: number; cpuUserUsPerReq?: number };
export type TargetName = 'direct' | 'gateway' | 'nginx' | 'haproxy' | 'node-pipe' | 'floor';
export const TARGET_NAMES: readonly TargetName[] = ['direct', 'gateway', 'nginx', 'haproxy', 'node-pipe', 'floor'];

export interface Row {
  path: string;
  /** Every run at `connections` connections, per target, in order. */
  runs: Map<TargetName, Measured[]>;
  /** Field-wise medians of those runs. */
  medians: Map<TargetName, Measured>;
  /** One connection, one request at a time: latency without queueing. */
  single: Map<TargetName, Measured>;
}

export interface Section {
  form: string;
  workers: number;
  rows: Row[];
  machineBefore: MachineSample;
  machineAfter: MachineSample;
}

export interface ReportInput {
  sections: Section[];
  /** The profile by layer of the same run (cpu-profile.ts): its sampled seconds and table, or why it was not run. */
  profile?: { seconds: number; table: string[] } | { skipped: string };
  date: string;
  command: string;
  machine: string;
  /** Whether the edge and the floor ran with batched I/O (apps/gateway/native/batch-io.c): "on" or "off (why)". */
  batchedIo: string;
  connections: number;
  rounds: number;
  duration: number;
}

/** Issue 15's targets, all against figures of the same run. */
export const TARGETS = { throughputVsNginx: 1, cpuVsPipe: 1.1, addedP50OverNginxMs: 0.1 };

export interface Verdict {
  what: string;
  met: boolean;
  measured: string;
}

/** Field-wise median of several runs (req/s, latencies, CPU each taken on its own). */
export function medianRun(runs: Measured[]): Measured {
  const first = runs[0];
  if (!first) throw new Error('median of no runs');
  const cpus = runs.map((r) => r.cpuUsPerReq).filter((v): v is number => v !== undefined);
  const userCpus = runs.map((r) => r.cpuUserUsPerReq).filter((v): v is number => v !== undefined);
  return {
    ...first,
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    rps: medianOf(runs.map((r) => r.rps)),
    p50Ms: medianOf(runs.map((r) => r.p50Ms)),
    p99Ms: medianOf(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    errorKinds: addErrorKinds(runs.map((r) => r.errorKinds)),
    cpuUsPerReq: cpus.length ? medianOf(cpus) : undefined,
    cpuUserUsPerReq: userCpus.length ? medianOf(userCpus) : undefined,
  };
}

/** Kind-wise sum of several runs' error counts. */
export function addErrorKinds(all: ErrorKinds[]): ErrorKinds {
  const sum = noErrors();
  for (const kinds of all) for (const kind of ERROR_KINDS) sum[kind] += kinds[kind];
  return sum;
}

/** "0", or the total with its kinds: "3 (timeout 2, read 1)"; a reader must see what failed, not only how often. */
export function formatErrors(kinds: ErrorKinds): string {
  const parts = ERROR_KINDS.filter((kind) => kinds[kind] > 0).map((kind) => `${kind === 'non2xx' ? 'non-2xx' : kind} ${kinds[kind]}`);
  const total = ERROR_KINDS.reduce((n, kind) => n + kinds[kind], 0);
  return parts.length ? `${total} (${parts.join(', ')})` : '0';
}

const fmt = (n: number | undefined, digits = 2): string => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const bodyOf = (path: string): string => (path === '/' ? '5 B' : '1 KiB');

function need(row: Row, name: TargetName): Measured {
  const m = row.medians.get(name);
  if (!m) throw new Error(`no runs of ${name} for ${row.path}`);
  return m;
}

/** The issue's targets for one body size of one section. */
export function verdicts(row: Row): Verdict[] {
  const gateway = need(row, 'gateway');
  const nginx = need(row, 'nginx');
  const pipe = need(row, 'node-pipe');
  const ratio = gateway.rps / nginx.rps;
  const cpu = gateway.cpuUsPerReq ?? Number.NaN;
  const pipeCpu = pipe.cpuUsPerReq ?? Number.NaN;
  const nginxCpu = nginx.cpuUsPerReq ?? Number.NaN;
  return [
    { what: 'throughput ≥ nginx', met: ratio >= TARGETS.throughputVsNginx, measured: `${fmt(ratio)}× nginx` },
    {
      what: `CPU/request ≤ ${TARGETS.cpuVsPipe}× node-pipe`,
      met: cpu <= pipeCpu * TARGETS.cpuVsPipe,
      measured: `${fmt(cpu, 1)} vs ${fmt(pipeCpu, 1)} µs (${fmt(cpu / pipeCpu)}×)`,
    },
    { what: 'CPU/request ≤ nginx', met: cpu <= nginxCpu, measured: `${fmt(cpu, 1)} vs ${fmt(nginxCpu, 1)} µs` },
    {
      what: `added p50 ≤ nginx's + ${TARGETS.addedP50OverNginxMs} ms`,
      met: gateway.p50Ms <= nginx.p50Ms + TARGETS.addedP50OverNginxMs,
      measured: `p50 ${fmt(gateway.p50Ms)} vs ${fmt(nginx.p50Ms)} ms`,
    },
  ];
}

export interface Scaling {
  form: string;
  workers: number;
  path: string;
  /** req/s with `workers` over req/s with one, per proxy; and the gateway over nginx at `workers`. */
  gateway: number;
  nginx: number;
  haproxy: number;
  gatewayVsNginx: number;
}

/** For each form measured with one worker and with more: how each proxy scaled, same run. */
export function scaling(sections: Section[]): Scaling[] {
  const out: Scaling[] = [];
  for (const many of sections.filter((s) => s.workers > 1)) {
    const one = sections.find((s) => s.form === many.form && s.workers === 1);
    if (!one) continue;
    for (const row of many.rows) {
      const base = one.rows.find((r) => r.path === row.path);
      if (!base) continue;
      const gain = (name: TargetName) => need(row, name).rps / need(base, name).rps;
      out.push({
        form: many.form,
        workers: many.workers,
        path: row.path,
        gateway: gain('gateway'),
        nginx: gain('nginx'),
        haproxy: gain('haproxy'),
        gatewayVsNginx: need(row, 'gateway').rps / need(row, 'nginx').rps,
      });
    }
  }
  return out;
}

const FORM_TITLES: Record<string, string> = {
  edge: 'edge alone (`apps/gateway/src/edge/bench/bench-server.ts` under tsx: real route table and metrics, no control plane)',
  bundle: 'production bundle (`apps/gateway/src/main.ts` bundled as `nx build gateway` does, plain `node`)',
  start: 'as `npm start` runs it (`apps/gateway/src/main.ts` under tsx)',
};

/** The gateway's CPU per request above node-pipe's, split into user mode (its JavaScript, V8, Node) and kernel. */
export function overPipe(row: Row): string {
  const gateway = need(row, 'gateway');
  const pipe = need(row, 'node-pipe');
  const total = (gateway.cpuUsPerReq ?? Number.NaN) - (pipe.cpuUsPerReq ?? Number.NaN);
  const user = (gateway.cpuUserUsPerReq ?? Number.NaN) - (pipe.cpuUserUsPerReq ?? Number.NaN);
  return (
    `the gateway spends ${fmt(total, 1)} µs of CPU per request above the blind Node relay (node-pipe): ` +
    `${fmt(user, 1)} in user mode, ${fmt(total - user, 1)} in the kernel.`
  );
}

/**
 * User time per request of the floor (the edge's socket I/O without its HTTP work) against nginx's, and the
 * gateway's above the floor's: whether a Node proxy of this design can be at nginx's CPU, and what its HTTP work costs.
 */
export function overFloor(row: Row): string {
  const floor = row.medians.get('floor');
  if (!floor) return '';
  const user = (name: TargetName): number => need(row, name).cpuUserUsPerReq ?? Number.NaN;
  return (
    `user time per request: floor ${fmt(user('floor'), 1)} µs, nginx ${fmt(user('nginx'), 1)}, gateway ${fmt(user('gateway'), 1)} ` +
    `(its HTTP work ${fmt(user('gateway') - user('floor'), 1)} µs above the floor's socket I/O).`
  );
}

function sectionMarkdown(section: Section): string[] {
  const lines = [
    `## Gateway: ${FORM_TITLES[section.form] ?? section.form}, ${section.workers} worker${section.workers === 1 ? '' : 's'}`,
    '',
    `nginx ${section.workers} worker${section.workers === 1 ? '' : 's'}, HAProxy ${section.workers} thread${section.workers === 1 ? '' : 's'}. ` +
      `Load average (1/5/15 min) ${formatLoad(section.machineBefore)} before, ${formatLoad(section.machineAfter)} after; ` +
      `CPU stolen by the hypervisor during the section ${fmt(stealPercent(section.machineBefore, section.machineAfter), 1)} %.`,
    '',
    '| body | target | req/s (median) | req/s of each run | p50 ms | p99 ms | CPU µs/req | of which user | p50 ms at 1 conn | errors |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of section.rows) {
    for (const name of TARGET_NAMES) {
      const m = row.medians.get(name);
      const single = row.single.get(name);
      if (!m) continue;
      const each = (row.runs.get(name) ?? []).map((r) => r.rps.toFixed(0)).join(', ');
      lines.push(
        `| ${bodyOf(row.path)} | ${name} | ${m.rps.toFixed(0)} | ${each} | ${fmt(m.p50Ms)} | ${fmt(m.p99Ms)} | ${fmt(m.cpuUsPerReq, 1)} | ${fmt(m.cpuUserUsPerReq, 1)} | ` +
          `${fmt(single?.p50Ms, 3)} | ${formatErrors(addErrorKinds(single ? [m.errorKinds, single.errorKinds] : [m.errorKinds]))} |`,
      );
    }
  }
  lines.push('', '| body | target (issue 15) | measured | |', '|---|---|---|---|');
  for (const row of section.rows) {
    for (const v of verdicts(row)) lines.push(`| ${bodyOf(row.path)} | ${v.what} | ${v.measured} | ${v.met ? 'met' : '**NOT met**'} |`);
  }
  lines.push('');
  for (const row of section.rows) lines.push(`- ${bodyOf(row.path)}: ${overPipe(row)}`);
  for (const row of section.rows) if (row.medians.has('floor')) lines.push(`- ${bodyOf(row.path)}: ${overFloor(row)}`);
  return lines;
}

export function renderReport(input: ReportInput): { summary: string; markdown: string } {
  const summary: string[] = [];
  for (const section of input.sections) {
    for (const row of section.rows) {
      const failed = verdicts(row).filter((v) => !v.met).length;
      const g = need(row, 'gateway');
      summary.push(
        `${section.form}:${section.workers} ${bodyOf(row.path).padEnd(5)} gateway ${g.rps.toFixed(0)} req/s (${fmt(g.rps / need(row, 'nginx').rps)}× nginx), ` +
          `${fmt(g.cpuUsPerReq, 1)} µs/req (node-pipe ${fmt(need(row, 'node-pipe').cpuUsPerReq, 1)}, nginx ${fmt(need(row, 'nginx').cpuUsPerReq, 1)}); ` +
          `targets ${failed === 0 ? 'all met' : `${failed} of 4 not met`}`,
      );
    }
  }
  const scaled = scaling(input.sections);
  const scalingLines = scaled.length
    ? [
        '## Scaling with workers',
        '',
        'req/s with N workers over req/s with one, same run. The load generator (wrk, one thread), the upstream and the proxy share',
        'the same two cores, so no proxy can double here: the comparison with nginx and HAProxy is what tells.',
        '',
        '| form | workers | body | gateway | nginx | HAProxy | gateway / nginx at N |',
        '|---|---:|---|---:|---:|---:|---:|',
        ...scaled.map(
          (s) =>
            `| ${s.form} | ${s.workers} | ${bodyOf(s.path)} | ${fmt(s.gateway)}× | ${fmt(s.nginx)}× | ${fmt(s.haproxy)}× | ${fmt(s.gatewayVsNginx)}× |`,
        ),
        '',
      ]
    : [];
  const markdown = [
    '# Gateway benchmark',
    '',
    'Measured by `tools/bench/gateway-bench.ts` (`npm run bench`); this file is rewritten by each run and never edited by hand.',
    '',
    `- Date: ${input.date}`,
    `- Command: \`${input.command}\``,
    `- Machine: ${input.machine}. Each section records its load average and stolen CPU: the load generator, the upstream`,
    '  and the proxies share these cores, and other work on the machine lowers every figure.',
    `- Load: wrk, 1 thread, ${input.connections} keep-alive connections, ${input.duration} s per run; per body size ${input.rounds} interleaved`,
    '  rounds of direct → gateway → nginx → HAProxy → node-pipe → floor (2 s warm-up before the first), the median reported;',
    '  then one run each at 1 connection for the latency without queueing.',
    '- Upstream: node:http, `/` answers 5 bytes, `/1k` 1 KiB, `Cache-Control: no-store` (the gateway consults its response',
    '  cache, which never answers: every request is proxied).',
    '- Gateway: access log on (JSON lines to a file), metrics on, response cache on, pooled keep-alive upstream connections.',
    '  The `bundle` and `start` forms are the real entry with its control plane (PostgreSQL `gateway_db`, NATS, admin API);',
    '  the upstream is a route added through the admin API for the run and deleted after it. No log service runs, so',
    '  `LOG_SERVICE_URL` is empty.',
    `- Batched I/O (\`apps/gateway/native/batch-io.c\`, the gateway's and the floor's plain TCP sockets read a wake-up of the`,
    `  event loop at a time, their writes made back to back): ${input.batchedIo}.`,
    "- nginx: Debian's, `keepalive 64` upstream, HTTP/1.1, the same forwarding headers and X-Request-ID, access log on",
    '  (a JSON line per request, written as the gateway writes its own: `buffer=64k flush=50ms`, one write per batch).',
    "  HAProxy: Debian's, `http-reuse always`, the same headers; no access log (it logs only to syslog).",
    "- node-pipe: not a proxy but a blind 1:1 TCP relay in Node (`tools/bench/bench-pipe.ts`) reading through 'data' events,",
    "  as a plain Node relay does: what socket I/O through Node's streams costs. Not a floor: reading into owned buffers",
    '  (`onread`), as the gateway does, costs less (`gateway-performance.md`).',
    "- floor: the same blind relay reading from and writing to the socket handles as the gateway's edge does",
    "  (`apps/gateway/src/edge/bench/floor-relay.ts`): the edge's socket I/O without any HTTP work. The gateway's user time",
    "  above the floor's is what its HTTP work (parsing, routing, heads, access log, metrics) costs.",
    '- CPU: utime + stime of the proxy\'s processes (all workers) from `/proc` during the measured runs, per request; "of which',
    "  user\" is utime alone (the process's own code: for the gateway its JavaScript, V8 and Node), the rest is the kernel's.",
    '',
    ...input.sections.flatMap((section) => [...sectionMarkdown(section), '']),
    ...scalingLines,
    ...profileLines(input.profile),
    "Where the gateway's CPU per request goes, measured with callgrind, perf and `--cpu-prof`, and what each change did: `gateway-performance.md`.",
    '',
  ].join('\n');
  return { summary: summary.join('\n'), markdown };
}

function profileLines(profile: ReportInput['profile']): string[] {
  const heading = "## Where each proxy's CPU goes, by layer (same run)";
  if (profile === undefined) return [];
  if ('skipped' in profile) return [heading, '', `Profile ${profile.skipped}.`, ''];
  return [
    heading,
    '',
    'After the sections, on the same machine: the edge (its bench server bundled, under plain `node`; access log and',
    'metrics on), the floor, node-pipe and nginx (one process), one after another under wrk -t1 -c50 on `GET /` (5 B),',
    `each sampled for ${profile.seconds} s by \`perf record -e cpu-clock -F 999\` and its samples sorted by function into`,
    "layers (`tools/bench/perf-layers.ts`; libc's system call wrappers are a layer of their own: the user-mode side of",
    'each kernel entry), in µs of CPU per request; then a second load under `strace -c -f` for the system calls per',
    "request. The last column is counted over the sampled window: the TCP segments the machine sent (wrk's and the",
    "upstream's included: four a proxied request is the least) and the proxy's context switches and minor page faults",
    '(`tools/bench/kernel-work.ts`). Its own runs, so its req/s and totals differ from the sections above; the split is',
    'what it is for.',
    '',
    ...profile.table,
    '',
  ];
}
