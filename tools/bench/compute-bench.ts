/**
 * Compute benchmark (issue 10, "Speed"), against compute on the sandbox runtime (apps/compute/test/bench-server.ts:
 * the real app and reconciler, its own test database, bridge, subnet and data dir) and the gateway edge
 * (apps/gateway/src/edge/bench/bench-server.ts) routing compute.cloud.localhost to it:
 *   1. create → `running` latency over --creates (default 10) sequential creates (p50/p90);
 *   2. --at-once (default 20) containers created together: time until all run, compute's and the sandboxes' memory,
 *      and each one's sshd answering with its banner on its address;
 *   3. terminal keystroke echo: one byte sent on the web terminal WebSocket to its echo back, --samples (default
 *      200) per route, straight to compute and through the gateway (interleaved rounds), with the containers running.
 * Prints the report and rewrites docs/compute-benchmark.md. Everything it made is removed, also on failure.
 *
 *   npm run bench:compute [-- --creates 10 --at-once 20 --samples 200 --no-write]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { percentile } from './stats';

const { values } = parseArgs({
  options: {
    creates: { type: 'string', default: '10' },
    'at-once': { type: 'string', default: '20' },
    samples: { type: 'string', default: '200' },
    'no-write': { type: 'boolean', default: false },
  },
});
const CREATES = Number(values.creates);
const AT_ONCE = Number(values['at-once']);
const SAMPLES = Number(values.samples);
const WARM_UP_KEYS = 20;
const ROUNDS = 4;
const HOST = 'compute.cloud.localhost';
const TARGETS = { createP50Ms: 2_000, atOnce: 20, echoP50Ms: 20 };
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'compute-bench-'));
const children: ChildProcess[] = [];

function progress(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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

function startEntry(name: string, args: string[], env: Record<string, string>, stdout: 'pipe' | 'file'): ChildProcess {
  const log = openSync(join(work, `${name}.log`), 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout === 'pipe' ? 'pipe' : log, log],
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') progress(`${name} exited (${code ?? signal}); see ${work}/${name}.log`);
  });
  children.push(child);
  return child;
}

function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface Network {
  dataDir: string;
  bridge: string;
  subnet: string;
}
interface Ready {
  url: string;
  token: string;
  serviceKey: string;
  pid: number;
}

/** Reads the compute child's JSON lines: the network first, then ready (bounded). */
function computeLines(child: ChildProcess, onNetwork: (network: Network) => void): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('compute did not become ready in 60 s')), 60_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      let parsed: { type?: string } & Partial<Network & Ready>;
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        return;
      }
      if (parsed.type === 'network') onNetwork(parsed as Network);
      if (parsed.type === 'ready') {
        clearTimeout(timer);
        resolve(parsed as Ready);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`compute exited (${code}) before it was ready; see ${work}/compute.log`));
    });
  });
}

interface Api {
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
}

function apiOf(base: string, token: string): Api {
  return {
    async call(method, path, json, headers = {}) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
    },
  };
}

async function createContainer(api: Api, name: string): Promise<string> {
  const reply = await api.call<{ id?: string; status?: string }>('POST', '/compute/containers', { name });
  if (reply.status !== 201 || !reply.body.id) throw new Error(`create ${name}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

async function waitRunning(api: Api, id: string, pollMs: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await api.call<{ status?: string }>('GET', `/compute/containers/${id}`);
    if (reply.body.status === 'running') return;
    if (reply.body.status === 'failed') throw new Error(`container ${id} failed: ${JSON.stringify(reply.body)}`);
    if (Date.now() > deadline) throw new Error(`container ${id} not running after ${timeoutMs} ms: ${JSON.stringify(reply.body)}`);
    await sleep(pollMs);
  }
}

/** Deletes through the API and waits until the reconciler has removed the sandbox (its directory is gone). */
async function deleteAll(api: Api, ids: string[], dataDir: string): Promise<void> {
  for (const id of ids) {
    const reply = await api.call('DELETE', `/compute/containers/${id}`);
    if (reply.status !== 204 && reply.status !== 200) throw new Error(`delete ${id}: ${reply.status}`);
  }
  const deadline = Date.now() + 60_000;
  while (ids.some((id) => existsSync(join(dataDir, id)))) {
    if (Date.now() > deadline) throw new Error('sandboxes still there 60 s after their delete');
    await sleep(100);
  }
}

function procField(pid: number, file: 'status' | 'smaps_rollup', field: string): number {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function withDescendants(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim().split(' ').filter(Boolean))
        out.push(Number(task));
    } catch {
      // gone
    }
  }
  return out;
}

/** RSS and PSS of a sandbox's processes (bwrap, its PID 1 and sshd), from its state.json's pid. */
function sandboxMemory(dataDir: string, id: string): { rss: number; pss: number; processes: number } {
  const state = JSON.parse(readFileSync(join(dataDir, id, 'state.json'), 'utf8')) as { process?: { pid?: number } };
  const pid = state.process?.pid;
  if (!pid) throw new Error(`sandbox ${id} has no process in its state`);
  const pids = withDescendants(pid);
  return {
    rss: pids.reduce((sum, p) => sum + procField(p, 'status', 'VmRSS'), 0),
    pss: pids.reduce((sum, p) => sum + procField(p, 'smaps_rollup', 'Pss'), 0),
    processes: pids.length,
  };
}

/** Connects to host:22 and reads sshd's identification line (bounded). */
function sshBanner(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: 22 });
    let got = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${host}:22 sent no banner in 5 s`));
    }, 5_000);
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (got.includes('\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(got.split('\r\n')[0] ?? got);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

interface Terminal {
  /** Sends one byte and resolves with the ms until a frame containing it comes back. */
  keystroke(byte: string): Promise<number>;
  /** Sends bytes and waits until the output has been quiet for `quietMs`. */
  settle(bytes: string, quietMs: number): Promise<void>;
  close(): void;
}

function openTerminal(url: string, headers: Record<string, string>): Promise<Terminal> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    let waiter: ((chunk: string) => void) | undefined;
    let lastData = Date.now();
    socket.on('message', (data, isBinary) => {
      lastData = Date.now();
      if (isBinary) waiter?.(Buffer.from(data as Buffer).toString('latin1'));
    });
    socket.once('unexpected-response', (_req, res) => reject(new Error(`${url}: HTTP ${res.statusCode}`)));
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        keystroke(byte) {
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`no echo of ${JSON.stringify(byte)} in 5 s`)), 5_000);
            const t0 = performance.now();
            waiter = (chunk) => {
              if (!chunk.includes(byte)) return;
              const ms = performance.now() - t0;
              waiter = undefined;
              clearTimeout(timer);
              done(ms);
            };
            socket.send(Buffer.from(byte, 'latin1'), { binary: true });
          });
        },
        async settle(bytes, quietMs) {
          if (bytes) socket.send(Buffer.from(bytes, 'latin1'), { binary: true });
          await sleep(quietMs);
          const deadline = Date.now() + 10_000;
          while (Date.now() - lastData < quietMs && Date.now() < deadline) await sleep(10);
        },
        close: () => socket.close(),
      }),
    );
  });
}

/** `count` keystrokes on `terminal`: printable letters, the line cleared (Ctrl-U) every 40. */
async function echoSamples(terminal: Terminal, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 40 === 0) await terminal.settle('\x15', 50);
    samples.push(await terminal.keystroke(String.fromCharCode(97 + (i % 26))));
    await sleep(5);
  }
  await terminal.settle('\x15', 50);
  return samples;
}

interface Results {
  createMs: number[];
  atOnce: {
    count: number;
    allRunningMs: number;
    createsAnsweredMs: number;
    perContainerMs: number[];
    computeRssBefore: number;
    computeRss: number;
    computeHwm: number;
    sandboxRss: number;
    sandboxPss: number;
    sandboxProcesses: number;
    reportedMemoryMb: number;
    sshdOk: number;
    banner: string;
    sshdCheckMs: number;
  };
  echo: { direct: number[]; gateway: number[] };
  gatewayError?: string;
}

async function main(): Promise<void> {
  const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const loadBefore = loadavg();
  const started = new Date();
  progress(`work dir ${work}; ${CREATES} sequential creates, ${AT_ONCE} at once, ${SAMPLES} keystrokes per route`);
  let network: Network | undefined;
  let failed = false;
  let computeChild: ChildProcess | undefined;
  let testDb: TestDatabase | undefined;
  const teardown = async (): Promise<void> => {
    const [compute, ...others] = children;
    await Promise.all(others.map((child) => stopChild(child, 5_000)));
    // Compute's SIGTERM removes every sandbox, its database, the bridge and the data dir.
    if (compute) await stopChild(compute, 90_000);
    if (network && (existsSync(network.dataDir) || (await bridgeExists(network.bridge)))) {
      progress(`compute left ${network.bridge} / ${network.dataDir} behind: cleaning up`);
      const cleaner = spawn(process.execPath, ['--import', 'tsx', 'apps/compute/test/bench-server.ts', '--cleanup'], {
        cwd: root,
        env: {
          ...process.env,
          BENCH_SANDBOX_DATA_DIR: network.dataDir,
          BENCH_SANDBOX_BRIDGE: network.bridge,
          BENCH_SANDBOX_SUBNET: network.subnet,
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      await new Promise((resolve) => cleaner.once('exit', resolve));
    }
    await testDb?.drop();
  };
  const onSignal = (): void => {
    progress('interrupted: cleaning up');
    void teardown().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    testDb = await createTestDatabase('compute_bench');
    computeChild = startEntry(
      'compute',
      ['apps/compute/test/bench-server.ts'],
      {
        COMPUTE_MAX_CONTAINERS: String(Math.max(AT_ONCE, CREATES) + 5),
        BENCH_DATABASE_URL: testDb.serverUrl,
        BENCH_DATABASE: testDb.database,
      },
      'pipe',
    );
    const ready = await computeLines(computeChild, (n) => {
      network = n;
      progress(`sandbox network ${n.bridge} ${n.subnet}, data ${n.dataDir}`);
    });
    if (!network) throw new Error('compute never said which network it took');
    const net: Network = network;
    const gatewayPort = await freePort();
    const gateway = startEntry(
      'gateway',
      ['apps/gateway/src/edge/bench/bench-server.ts'],
      { GATEWAY_HTTP_PORT: String(gatewayPort), GATEWAY_WORKERS: '1', BENCH_COMPUTE_UPSTREAM: ready.url },
      'file',
    );
    await waitListening(gateway, gatewayPort);
    const api = apiOf(ready.url, ready.token);
    progress(`compute ${ready.url} (pid ${ready.pid}), gateway :${gatewayPort} (pid ${gateway.pid ?? '?'})`);

    // 1. Sequential creates, each waited for (GET every 20 ms) before the next.
    const createMs: number[] = [];
    const sequential: string[] = [];
    for (let i = 1; i <= CREATES; i++) {
      const t0 = performance.now();
      const id = await createContainer(api, `seq-${i}`);
      await waitRunning(api, id, 20);
      createMs.push(performance.now() - t0);
      sequential.push(id);
      progress(`create ${i}/${CREATES}: ${id} running after ${createMs.at(-1)?.toFixed(0)} ms`);
    }
    await deleteAll(api, sequential, net.dataDir);
    progress(`p50 ${percentile(createMs, 50).toFixed(0)} ms, p90 ${percentile(createMs, 90).toFixed(0)} ms; deleted`);

    // 2. Many at once.
    const computeRssBefore = procField(ready.pid, 'status', 'VmRSS');
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => createContainer(api, `many-${i + 1}`)));
    const createsAnsweredMs = performance.now() - t0;
    const runningAt = new Map<string, number>();
    const deadline = Date.now() + 180_000;
    while (runningAt.size < ids.length) {
      const list = await api.call<{ containers: Array<{ id: string; status: string }> }>('GET', '/compute/containers');
      for (const c of list.body.containers) {
        if (c.status === 'failed') throw new Error(`container ${c.id} failed`);
        if (c.status === 'running' && !runningAt.has(c.id)) runningAt.set(c.id, performance.now() - t0);
      }
      if (Date.now() > deadline) throw new Error(`only ${runningAt.size} of ${ids.length} running after 180 s`);
      await sleep(100);
    }
    const allRunningMs = performance.now() - t0;
    progress(`${AT_ONCE} at once: all running after ${(allRunningMs / 1000).toFixed(1)} s`);
    const memories = ids.map((id) => sandboxMemory(net.dataDir, id));
    let reportedMemoryMb = 0;
    for (const id of ids) {
      const view = await api.call<{ memory_used_mb?: number }>('GET', `/compute/containers/${id}`);
      reportedMemoryMb += view.body.memory_used_mb ?? 0;
    }
    const internal = await apiOf(ready.url, '').call<{ containers: Array<{ containerId: string; upstreamHost: string }> }>(
      'GET',
      '/internal/containers',
      undefined,
      { 'x-service-key': ready.serviceKey },
    );
    if (internal.status !== 200) throw new Error(`GET /internal/containers: ${internal.status} ${JSON.stringify(internal.body)}`);
    const sshStart = performance.now();
    const banners = await Promise.all(
      ids.map(async (id) => {
        const host = internal.body.containers.find((c) => c.containerId === id)?.upstreamHost;
        if (!host) return `no address for ${id}`;
        return sshBanner(host).catch((error: unknown) => `${host}: ${String(error)}`);
      }),
    );
    const sshdCheckMs = performance.now() - sshStart;
    const sshdOk = banners.filter((b) => b.startsWith('SSH-2.0-')).length;
    for (const bad of banners.filter((b) => !b.startsWith('SSH-2.0-'))) progress(`sshd check: ${bad}`);
    const atOnce: Results['atOnce'] = {
      count: AT_ONCE,
      allRunningMs,
      createsAnsweredMs,
      perContainerMs: [...runningAt.values()],
      computeRssBefore,
      computeRss: procField(ready.pid, 'status', 'VmRSS'),
      computeHwm: procField(ready.pid, 'status', 'VmHWM'),
      sandboxRss: memories.reduce((s, m) => s + m.rss, 0),
      sandboxPss: memories.reduce((s, m) => s + m.pss, 0),
      sandboxProcesses: memories.reduce((s, m) => s + m.processes, 0),
      reportedMemoryMb,
      sshdOk,
      banner: banners.find((b) => b.startsWith('SSH-2.0-')) ?? '',
      sshdCheckMs,
    };
    progress(
      `compute RSS ${mb(atOnce.computeRss)} MB (${mb(computeRssBefore)} before); sandboxes RSS ${mb(atOnce.sandboxRss)} MB, PSS ${mb(atOnce.sandboxPss)} MB; ` +
        `sshd answered on ${sshdOk}/${AT_ONCE}`,
    );

    // 3. Keystroke echo on the first container's terminal, straight and through the gateway, rounds interleaved.
    const path = `/compute/containers/${ids[0]}/terminal?cols=200&rows=50`;
    const auth = { authorization: `Bearer ${ready.token}` };
    const direct = await openTerminal(`${ready.url.replace('http://', 'ws://')}${path}`, auth);
    let viaGateway: Terminal | undefined;
    let gatewayError: string | undefined;
    try {
      viaGateway = await openTerminal(`ws://127.0.0.1:${gatewayPort}${path}`, { ...auth, host: HOST });
    } catch (error) {
      gatewayError = error instanceof Error ? error.message : String(error);
      progress(`through the gateway: ${gatewayError}`);
    }
    const echo: Results['echo'] = { direct: [], gateway: [] };
    const routes = (
      viaGateway
        ? [
            ['direct', direct],
            ['gateway', viaGateway],
          ]
        : [['direct', direct]]
    ) as Array<[keyof Results['echo'], Terminal]>;
    for (const [, terminal] of routes) {
      await terminal.settle('', 500); // the prompt
      await echoSamples(terminal, WARM_UP_KEYS);
    }
    const perRound = Math.ceil(SAMPLES / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? routes : [...routes].reverse();
      for (const [name, terminal] of order) {
        const n = Math.min(perRound, SAMPLES - echo[name].length);
        if (n > 0) echo[name].push(...(await echoSamples(terminal, n)));
      }
    }
    direct.close();
    viaGateway?.close();
    for (const [name] of routes)
      progress(
        `echo ${name}: p50 ${percentile(echo[name], 50).toFixed(2)} ms, p90 ${percentile(echo[name], 90).toFixed(2)} ms (${echo[name].length})`,
      );

    const loadAfter = loadavg();
    const report = renderReport({
      started,
      cpuModel,
      cores: cpus().length,
      loadBefore,
      loadAfter,
      results: { createMs, atOnce, echo, gatewayError },
    });
    process.stdout.write(`\n${report}\n`);
    if (!values['no-write']) {
      writeFileSync(join(root, 'docs/compute-benchmark.md'), report);
      progress('wrote docs/compute-benchmark.md');
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
    if (!failed) rmSync(work, { recursive: true, force: true });
  }
}

/** Polls until the port accepts connections (bounded), failing early if the process is gone. */
async function waitListening(child: ChildProcess, port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`:${port}: the process exited (${child.exitCode})`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`:${port} never listened`);
}

async function bridgeExists(bridge: string): Promise<boolean> {
  const child = spawn('ip', ['link', 'show', 'dev', bridge], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code === 0)));
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const ms = (x: number, digits = 0): string => (Number.isNaN(x) ? '–' : x.toFixed(digits));
const met = (ok: boolean): string => (ok ? 'met' : '**not met**');

interface ReportInput {
  started: Date;
  cpuModel: string;
  cores: number;
  loadBefore: number[];
  loadAfter: number[];
  results: Results;
}

function benchArgs(): string {
  const args = [
    CREATES === 10 ? '' : `--creates ${CREATES}`,
    AT_ONCE === 20 ? '' : `--at-once ${AT_ONCE}`,
    SAMPLES === 200 ? '' : `--samples ${SAMPLES}`,
  ].filter(Boolean);
  return args.length ? ` -- ${args.join(' ')}` : '';
}

function renderReport(r: ReportInput): string {
  const { createMs, atOnce: a, echo, gatewayError } = r.results;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  const echoRow = (name: 'direct' | 'gateway'): string =>
    echo[name].length
      ? `| ${name === 'direct' ? 'straight to compute' : 'through the gateway'} | ${echo[name].length} | ${ms(percentile(echo[name], 50), 2)} | ` +
        `${ms(percentile(echo[name], 90), 2)} | ${ms(percentile(echo[name], 99), 2)} | ${ms(Math.min(...echo[name]), 2)} | ${ms(Math.max(...echo[name]), 2)} |`
      : `| ${name === 'direct' ? 'straight to compute' : 'through the gateway'} | 0 | – | – | – | – | – |`;
  const echoTarget = echo.gateway.length ? percentile(echo.gateway, 50) : Number.NaN;
  const allUp = a.sshdOk === a.count && a.count >= TARGETS.atOnce;
  return [
    '# Compute benchmark',
    '',
    `Issue 10's "Speed" targets, measured by \`tools/bench/compute-bench.ts\` on ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC; this file is rewritten by each run.`,
    '',
    '```',
    `npm run bench:compute${benchArgs()}`,
    '```',
    '',
    `Machine: ${r.cpuModel}, ${r.cores} cores (shared with other work), Linux, Node ${process.version}, as root; load average (1/5/15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after.`,
    '',
    'Set-up: compute on the sandbox runtime as `apps/compute/test/bench-server.ts` runs it, in its own process: the real app',
    'and reconciler (the production apply timeout) on a fresh test database, a fake auth in the same process, and a bridge,',
    'subnet and data dir of its own (`eddt<n>`, `10.214.<n>.0/24`, a temp dir; never the development `eddc0`). Each',
    'container is a bubblewrap sandbox in its own network namespace running OpenSSH `sshd`. The gateway edge runs as',
    '`apps/gateway/src/edge/bench/bench-server.ts` (one worker, access log on) routing `compute.cloud.localhost` to compute.',
    'The client, compute, the sandboxes and the gateway share the same cores.',
    '',
    `## 1. Create → \`running\`, ${createMs.length} sequential creates`,
    '',
    'From `POST /compute/containers` to the first `GET /compute/containers/{id}` (polled every 20 ms) that says `running`',
    "(the reconciler has built the sandbox and sshd accepts connections); each create waits for the previous one's container",
    'to run, and those stay up until the last one runs.',
    '',
    `p50 **${ms(percentile(createMs, 50))} ms**, p90 ${ms(percentile(createMs, 90))} ms (min ${ms(Math.min(...createMs))}, max ${ms(Math.max(...createMs))}).`,
    '',
    `Every create, in order (ms): ${createMs.map((x) => x.toFixed(0)).join(', ')}.`,
    '',
    `## 2. ${a.count} containers at once`,
    '',
    `${a.count} creates sent together, then \`GET /compute/containers\` every 100 ms until all are \`running\`:`,
    `all running after **${(a.allRunningMs / 1000).toFixed(1)} s** (the ${a.count} creates all answered 201 after ${ms(a.createsAnsweredMs)} ms; each container's time to`,
    `running: first ${ms(Math.min(...a.perContainerMs))} ms, p50 ${ms(percentile(a.perContainerMs, 50))} ms, p90 ${ms(percentile(a.perContainerMs, 90))} ms, last ${ms(Math.max(...a.perContainerMs))} ms).`,
    'The reconciler builds them all in parallel, so on two cores they progress together and finish close to each other.',
    '',
    '| memory with all of them running | |',
    '|---|---:|',
    `| compute process RSS (${mb(a.computeRssBefore)} MB before the creates) | ${mb(a.computeRss)} MB |`,
    `| compute process peak RSS over the whole run (VmHWM) | ${mb(a.computeHwm)} MB |`,
    `| sandboxes' processes (bwrap, PID 1, sshd: ${a.sandboxProcesses} in all), RSS summed | ${mb(a.sandboxRss)} MB |`,
    `| the same, PSS summed (shared pages split between processes) | ${mb(a.sandboxPss)} MB |`,
    `| per sandbox, PSS | ${(a.sandboxPss / a.count / 1024 / 1024).toFixed(1)} MB |`,
    `| \`memory_used_mb\` compute reports (cgroup, page cache included), summed | ${a.reportedMemoryMb.toFixed(0)} MB |`,
    '',
    `sshd check: a TCP connection to each container's address (from \`GET /internal/containers\`) on port 22 and its`,
    `identification line: **${a.sshdOk} of ${a.count}** answered (\`${a.banner}\`), all ${a.count} in ${ms(a.sshdCheckMs)} ms.`,
    '',
    '## 3. Terminal keystroke echo',
    '',
    `\`WS /compute/containers/{id}/terminal\` on one of the ${a.count} containers (all still running), one socket per route: one byte`,
    "sent as a binary frame, timed until a binary frame containing it comes back (compute → ssh2 → the container's sshd → PTY →",
    `bash's readline echo, and back). ${WARM_UP_KEYS} unmeasured keystrokes per route first, then ${ROUNDS} interleaved rounds (the route that`,
    'goes first alternates); 5 ms between keystrokes, the line cleared with Ctrl-U every 40.',
    '',
    '| route | samples | p50 ms | p90 ms | p99 ms | min ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|',
    echoRow('direct'),
    echoRow('gateway'),
    ...(gatewayError ? ['', `Through the gateway: failed to open (${gatewayError}).`] : []),
    '',
    "Compute's SSH client socket to the container has Nagle's algorithm off (`apps/compute/src/terminal/open-shell.ts`):",
    'with it on, a keystroke waited for the ACK of the previous write, delayed by up to 40 ms, and a trial run of this',
    'bench measured p50 44–45 ms on both routes.',
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| sandbox create → running p50 < ${TARGETS.createP50Ms / 1000} s | ${ms(percentile(createMs, 50))} ms | ${met(percentile(createMs, 50) < TARGETS.createP50Ms)} |`,
    `| ${TARGETS.atOnce} containers on one machine at once | ${a.count} running, ${a.sshdOk} sshd answering | ${met(allUp)} |`,
    `| terminal echo p50 < ${TARGETS.echoP50Ms} ms through the gateway | ${ms(echoTarget, 2)} ms | ${met(echoTarget < TARGETS.echoP50Ms)} |`,
    '',
    'One run on a shared machine: figures move with background load (see the load averages); rerun before drawing fine conclusions.',
    '',
  ].join('\n');
}

await main().catch((error: unknown) => {
  process.exitCode = 1;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nlogs kept in ${work}\n`);
});
