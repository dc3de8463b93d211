/**
 * Gateway benchmark: in one run, the same keep-alive load (wrk, 50 connections, Host-routed) against
 *   direct   - the node:http upstream itself
 *   gateway  - apps/gateway's edge proxying to it (access log on, cache on but bypassed: no-store)
 *   nginx    - Debian's nginx, one worker, configured as the equivalent reverse proxy
 *   node-pipe - a blind 1:1 TCP relay in Node: the floor of socket I/O cost for any Node proxy
 * for a 5-byte and a 1 KiB response. Reports req/s, p50, p99, ratios and the proxy's CPU time per request
 * (utime+stime from /proc), and writes docs/gateway-benchmark.md.
 *
 *   npm run bench [-- --duration 5 --connections 50 --rounds 3 --workers 1 --no-write]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLoad } from './load';
import { nginxConfig } from './nginx-config';
import { cpuMicros } from './proc-cpu';
import { median, renderReport, type Measured, type Row } from './report';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    'no-write': { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const workers = Number(values.workers);
const HOST = 'bench.cloud.localhost';
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
const children: ChildProcess[] = [];

function progress(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Starts a process and waits for `ready` on its stderr (bounded). */
function startProcess(name: string, cmd: string, args: string[], ready: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const out = openSync(join(work, `${name}.out.log`), 'w');
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start (see ${work})`)), 20_000);
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}): ${err}`)));
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { headers: { host: HOST } });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answers on ${port}`);
}

type Target = 'direct' | 'gateway' | 'nginx' | 'node-pipe';

async function measure(
  label: Target,
  port: number,
  path: string,
  pid: number | undefined,
  conns: number,
  seconds: number,
  warmUp: boolean,
): Promise<Measured> {
  const url = `http://127.0.0.1:${port}${path}`;
  if (warmUp) await generateLoad(url, HOST, conns, 2); // JIT, pools, keep-alive connections
  const before = pid === undefined ? 0 : cpuMicros(pid);
  const result = await generateLoad(url, HOST, conns, seconds);
  const cpu = pid === undefined ? undefined : (cpuMicros(pid) - before) / Math.max(1, result.requests);
  progress(
    `${label.padEnd(8)} ${path.padEnd(4)} c=${String(conns).padEnd(3)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms` +
      (cpu === undefined ? '' : `  proxy CPU ${cpu.toFixed(1)} µs/req`) +
      (result.errors ? `  ERRORS ${result.errors}` : ''),
  );
  return { ...result, cpuUsPerReq: cpu };
}

/** A port free right now on 127.0.0.1 (bound to 0, read, released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const PORTS = { upstream: await freePort(), gateway: await freePort(), nginx: await freePort(), pipe: await freePort() };
  progress(`work dir ${work}; ${duration}s per run, ${connections} connections, ${rounds} round(s), gateway workers ${workers}`);
  const loadBefore = loadavg()[0] ?? 0;
  await startProcess(
    'upstream',
    process.execPath,
    ['--import', 'tsx', 'tools/bench/bench-upstream.ts', String(PORTS.upstream)],
    'upstream ready',
  );
  const gateway = await startProcess(
    'gateway',
    process.execPath,
    ['--import', 'tsx', 'apps/gateway/src/edge/bench/bench-server.ts'],
    'edge ready',
    { BENCH_UPSTREAM: `http://127.0.0.1:${PORTS.upstream}`, GATEWAY_HTTP_PORT: String(PORTS.gateway), GATEWAY_WORKERS: String(workers) },
  );
  const pipe = await startProcess(
    'node-pipe',
    process.execPath,
    ['--import', 'tsx', 'tools/bench/bench-pipe.ts', String(PORTS.pipe), String(PORTS.upstream)],
    'pipe ready',
  );
  mkdirSync(join(work, 'nginx'), { recursive: true });
  writeFileSync(join(work, 'nginx', 'nginx.conf'), nginxConfig(join(work, 'nginx'), PORTS.nginx, PORTS.upstream));
  const nginx = spawn('/usr/sbin/nginx', ['-c', join(work, 'nginx', 'nginx.conf'), '-p', join(work, 'nginx')], { stdio: 'ignore' });
  children.push(nginx);
  await waitForPort(PORTS.nginx);
  await waitForPort(PORTS.gateway);

  const targets: Array<[Target, number, number | undefined]> = [
    ['direct', PORTS.upstream, undefined],
    ['gateway', PORTS.gateway, gateway.pid],
    ['nginx', PORTS.nginx, nginx.pid],
    ['node-pipe', PORTS.pipe, pipe.pid],
  ];
  const rows: Row[] = [];
  for (const path of ['/', '/1k']) {
    // Interleaved short runs, median per target: the machine is shared, and drifting background load
    // then hits all three alike instead of whichever happened to run during a busy minute.
    const runs: Record<Target, Measured[]> = { direct: [], gateway: [], nginx: [], 'node-pipe': [] };
    for (let round = 1; round <= rounds; round++) {
      for (const [label, port, pid] of targets) runs[label].push(await measure(label, port, path, pid, connections, duration, round === 1));
    }
    // Added latency without queueing: one connection, one request at a time.
    const single: Record<Target, Measured[]> = { direct: [], gateway: [], nginx: [], 'node-pipe': [] };
    for (const [label, port, pid] of targets) single[label].push(await measure(label, port, path, pid, 1, Math.min(duration, 5), false));
    rows.push({
      path,
      direct: median(runs.direct),
      gateway: median(runs.gateway),
      nginx: median(runs.nginx),
      'node-pipe': median(runs['node-pipe']),
      spread: {
        direct: runs.direct.map((r) => r.rps),
        gateway: runs.gateway.map((r) => r.rps),
        nginx: runs.nginx.map((r) => r.rps),
        'node-pipe': runs['node-pipe'].map((r) => r.rps),
      },
      single: {
        direct: single.direct[0] as Measured,
        gateway: single.gateway[0] as Measured,
        nginx: single.nginx[0] as Measured,
        'node-pipe': single['node-pipe'][0] as Measured,
      },
    });
  }
  const report = renderReport({
    rows,
    date: new Date().toISOString(),
    command: `npm run bench -- --duration ${duration} --connections ${connections} --rounds ${rounds} --workers ${workers}`,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Linux, Node ${process.version}`,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
    workers,
    connections,
    rounds,
  });
  process.stdout.write(`\n${report.table}\n`);
  if (!values['no-write']) {
    writeFileSync(join(root, 'docs', 'gateway-benchmark.md'), report.markdown);
    progress('wrote docs/gateway-benchmark.md');
  }
}

function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    stopAll();
    setTimeout(() => rmSync(work, { recursive: true, force: true }), 500).unref();
  });
