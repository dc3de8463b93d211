/**
 * Gateway benchmark. For each section (a form of the gateway × a worker count), the same keep-alive load (wrk, 1
 * thread, 50 connections, Host-routed) in interleaved rounds against
 *   direct    - the node:http upstream itself
 *   gateway   - the gateway in that form (gateway-forms.ts: edge alone, production bundle, as `npm start` runs it)
 *   nginx     - Debian's nginx, as many workers as the gateway has
 *   haproxy   - Debian's HAProxy, as many threads
 *   node-pipe - a blind 1:1 TCP relay in Node reading through 'data' events: what socket I/O through Node's streams costs
 *   floor     - the same relay reading and writing as the edge does (floor-relay.ts): the edge's socket I/O alone
 * for a 5-byte and a 1 KiB response; then one connection each for latency without queueing. Reports req/s, p50,
 * p99, the proxies' CPU per request (utime+stime from /proc), the machine (CPU, load, steal) around each section,
 * then profiles the edge, the floor, node-pipe and nginx by layer with perf and strace (cpu-profile.ts; skipped with
 * --no-profile or without perf), and writes docs/gateway-benchmark.md.
 *
 *   npm run bench [-- --sections edge:1,bundle:1,start:1,bundle:2 --duration 4 --connections 50 --rounds 3 --no-write
 *                     --no-profile]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GATEWAY_FORMS, startGatewayForm, type GatewayForm } from './gateway-forms';
import { haproxyConfig } from './haproxy-config';
import { profileCpuLayers, profileUnavailable } from './cpu-profile';
import { generateLoad } from './load';
import { describeMachine, describeSystemCallCost, sampleMachine } from './machine';
import { nginxConfig } from './nginx-config';
import { layerTable } from './perf-layers';
import { cpuSplitMicros } from './proc-cpu';
import { formatErrors, medianRun, renderReport, type Measured, type Row, type Section, type TargetName } from './report';

const { values } = parseArgs({
  options: {
    sections: { type: 'string', default: 'edge:1,bundle:1,start:1,bundle:2' },
    duration: { type: 'string', default: '4' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const plan = parseSections(values.sections);
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
const children: ChildProcess[] = [];

function parseSections(text: string): Array<{ form: GatewayForm; workers: number }> {
  return text.split(',').map((part) => {
    const [form, workers = '1'] = part.trim().split(':');
    const known = GATEWAY_FORMS.find((f) => f === form);
    const count = Number(workers);
    if (!known || !Number.isInteger(count) || count < 1 || count > 16) {
      throw new Error(`--sections: "${part}" is not <${GATEWAY_FORMS.join('|')}>:<workers 1-16>`);
    }
    return { form: known, workers: count };
  });
}

function progress(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Starts a helper process and waits for `ready` on its stderr (bounded). */
function startProcess(name: string, cmd: string, args: string[], ready: string): Promise<ChildProcess> {
  const out = openSync(join(work, `${name}.out.log`), 'w');
  const child = spawn(cmd, args, { cwd: root, env: process.env, stdio: ['ignore', out, 'pipe'] });
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
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`nothing answers on ${port}`);
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

interface Endpoint {
  name: TargetName;
  port: number;
  host: string;
  pid: number | undefined;
}

async function measure(target: Endpoint, path: string, conns: number, seconds: number, warmUp: boolean): Promise<Measured> {
  const url = `http://127.0.0.1:${target.port}${path}`;
  if (warmUp) await generateLoad(url, target.host, conns, 2); // JIT, pools, keep-alive connections
  const before = target.pid === undefined ? undefined : cpuSplitMicros(target.pid);
  const result = await generateLoad(url, target.host, conns, seconds);
  const after = target.pid === undefined ? undefined : cpuSplitMicros(target.pid);
  const perRequest = (micros: number): number => micros / Math.max(1, result.requests);
  const cpu = before && after ? perRequest(after.user + after.system - before.user - before.system) : undefined;
  const cpuUser = before && after ? perRequest(after.user - before.user) : undefined;
  progress(
    `${target.name.padEnd(9)} ${path.padEnd(4)} c=${String(conns).padEnd(3)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms` +
      (cpu === undefined || cpuUser === undefined ? '' : `  CPU ${cpu.toFixed(1)} µs/req (user ${cpuUser.toFixed(1)})`) +
      (result.errors ? `  errors ${formatErrors(result.errorKinds)}` : ''),
  );
  return { ...result, cpuUsPerReq: cpu, cpuUserUsPerReq: cpuUser };
}

/** nginx and HAProxy with `workers` workers/threads, for one section. */
async function startReferences(upstreamPort: number, workers: number): Promise<{ nginx: Endpoint; haproxy: Endpoint; stop(): void }> {
  const [nginxPort, haproxyPort] = [await freePort(), await freePort()];
  const dir = join(work, `nginx-${workers}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, nginxPort, upstreamPort, workers));
  const nginx = spawn('/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  writeFileSync(join(work, `haproxy-${workers}.cfg`), haproxyConfig(haproxyPort, upstreamPort, workers));
  const haproxy = spawn('/usr/sbin/haproxy', ['-db', '-f', join(work, `haproxy-${workers}.cfg`)], { stdio: 'ignore' });
  children.push(nginx, haproxy);
  await Promise.all([waitForPort(nginxPort), waitForPort(haproxyPort)]);
  const host = 'bench.cloud.localhost';
  return {
    nginx: { name: 'nginx', port: nginxPort, host, pid: nginx.pid },
    haproxy: { name: 'haproxy', port: haproxyPort, host, pid: haproxy.pid },
    stop() {
      nginx.kill('SIGTERM');
      haproxy.kill('SIGTERM');
    },
  };
}

async function runSection(form: GatewayForm, workers: number, upstream: Endpoint, relays: Endpoint[]): Promise<Section> {
  progress(`section: gateway ${form}, ${workers} worker(s); nginx ${workers} worker(s), HAProxy ${workers} thread(s)`);
  const machineBefore = sampleMachine();
  const references = await startReferences(upstream.port, workers);
  const gateway = await startGatewayForm(form, { root, work, upstreamPort: upstream.port, workers, freePort });
  try {
    const targets: Endpoint[] = [
      upstream,
      { name: 'gateway', port: gateway.port, host: gateway.host, pid: gateway.pid },
      references.nginx,
      references.haproxy,
      ...relays,
    ];
    const rows: Row[] = [];
    for (const path of ['/', '/1k']) {
      // Interleaved short runs, median per target: drifting background load hits every target alike.
      const runs = new Map<TargetName, Measured[]>(targets.map((t) => [t.name, []]));
      for (let round = 1; round <= rounds; round++) {
        for (const target of targets) runs.get(target.name)?.push(await measure(target, path, connections, duration, round === 1));
      }
      // Added latency without queueing: one connection, one request at a time.
      const single = new Map<TargetName, Measured>();
      for (const target of targets) single.set(target.name, await measure(target, path, 1, Math.min(duration, 4), false));
      rows.push({ path, runs, medians: new Map([...runs].map(([name, list]) => [name, medianRun(list)])), single });
    }
    return { form, workers, rows, machineBefore, machineAfter: sampleMachine() };
  } finally {
    await gateway.stop();
    references.stop();
  }
}

/** Whether the gateway and the floor will batch their I/O: the addon built and not turned off (batched-io.ts decides the same way). */
function batchedIoInThisRun(): string {
  if (process.env.GATEWAY_BATCHED_IO === 'false') return 'off (GATEWAY_BATCHED_IO=false)';
  return existsSync(join(root, 'apps', 'gateway', 'native', 'build', 'batch_io.node'))
    ? 'on'
    : 'off (the addon is not built: `npx tsx tools/native/build-addons.ts` says why)';
}

async function main(): Promise<void> {
  for (const binary of ['/usr/bin/wrk', '/usr/sbin/nginx', '/usr/sbin/haproxy']) {
    if (!existsSync(binary)) progress(`${binary} is missing (apt-get install wrk nginx haproxy): that target will fail`);
  }
  const upstreamPort = await freePort();
  const pipePort = await freePort();
  const floorPort = await freePort();
  progress(`work dir ${work}; sections ${values.sections}; ${duration} s per run, ${connections} connections, ${rounds} round(s)`);
  await startProcess(
    'upstream',
    process.execPath,
    ['--import', 'tsx', 'tools/bench/bench-upstream.ts', String(upstreamPort)],
    'upstream ready',
  );
  const pipeProcess = await startProcess(
    'node-pipe',
    process.execPath,
    ['--import', 'tsx', 'tools/bench/bench-pipe.ts', String(pipePort), String(upstreamPort)],
    'pipe ready',
  );
  const floorProcess = await startProcess(
    'floor',
    process.execPath,
    ['--import', 'tsx', 'apps/gateway/src/edge/bench/floor-relay.ts', String(floorPort), String(upstreamPort)],
    'floor ready',
  );
  const host = 'bench.cloud.localhost';
  const upstream: Endpoint = { name: 'direct', port: upstreamPort, host, pid: undefined };
  const relays: Endpoint[] = [
    { name: 'node-pipe', port: pipePort, host, pid: pipeProcess.pid },
    { name: 'floor', port: floorPort, host, pid: floorProcess.pid },
  ];
  const sections: Section[] = [];
  for (const { form, workers } of plan) sections.push(await runSection(form, workers, upstream, relays));
  const profile = await profileSection();
  const report = renderReport({
    sections,
    profile,
    date: new Date().toISOString(),
    command: `npm run bench -- --sections ${values.sections} --duration ${duration} --connections ${connections} --rounds ${rounds}${
      values['no-profile'] ? ' --no-profile' : ''
    }`,
    machine: `${describeMachine()}; ${describeSystemCallCost()}`,
    batchedIo: batchedIoInThisRun(),
    connections,
    rounds,
    duration,
  });
  process.stdout.write(`\n${report.summary}\n`);
  if (!values['no-write']) {
    writeFileSync(join(root, 'docs', 'gateway-benchmark.md'), report.markdown);
    progress('wrote docs/gateway-benchmark.md');
  }
}

/** The profile by layer after the sections, on the same machine (cpu-profile.ts), or why there is none. */
async function profileSection(): Promise<{ seconds: number; table: string[] } | { skipped: string }> {
  if (values['no-profile']) return { skipped: 'not run (--no-profile)' };
  const unavailable = profileUnavailable();
  if (unavailable !== undefined) return { skipped: `not run: ${unavailable}` };
  const seconds = duration;
  progress('profile: the edge, the floor, node-pipe and nginx by layer (perf, strace)');
  const rows = await profileCpuLayers({ cwd: root, path: '/', seconds, frequency: 999, progress: (line) => progress(`profile: ${line}`) });
  return { seconds, table: layerTable(rows) };
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(join(root, 'tmp', `gateway-bench-${process.pid}`), { recursive: true, force: true });
    setTimeout(() => rmSync(work, { recursive: true, force: true }), 500).unref();
  });
