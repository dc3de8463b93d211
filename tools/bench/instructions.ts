/**
 * Instructions per proxied request, counted by valgrind's callgrind: repeatable on a loaded machine, where
 * wall-clock and CPU-time figures are not (perf's hardware counters are often unavailable in VMs and containers).
 *
 * The proxy runs under callgrind; after a warm-up (JIT, pools, keep-alive connections) the counters are zeroed
 * with `callgrind_control --zero`, a fixed number of keep-alive requests is sent, and `callgrind_control --dump`
 * writes the count of exactly that window. Startup, compilation and shutdown are never in the figure. The load
 * comes from this process (not under valgrind): `connections` sockets each sending one request at a time, so the
 * proxy sees the same events for every request (one read and one write per side) whatever the machine's speed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleService } from '../build/bundle-service';
import { breakdown, eventsPerRequest } from './callgrind-breakdown';
import { nginxConfig } from './nginx-config';

export interface ProxyUnderTest {
  /** Label in reports. */
  name: string;
  /** The program run under callgrind; node (this process's) when not given, with CountOptions.nodeFlags. */
  command?: string;
  /** Its arguments (for node: script and arguments); the listening port is given to `args(port)`. */
  args: (port: number) => string[];
  env?: (port: number) => NodeJS.ProcessEnv;
  /** Text on stderr that says the proxy listens. */
  ready: string;
}

export interface CountOptions {
  upstreamPort: number;
  host: string;
  path: string;
  warmup: number;
  requests: number;
  connections: number;
  cwd: string;
  /** Extra flags for a node under test (e.g. --single-threaded: no background GC/compiler threads, steadier counts). */
  nodeFlags?: string[];
  /** Also simulate the caches and branch predictor (callgrind's --cache-sim, --branch-sim: about twice as slow). */
  simulateCaches?: boolean;
}

export interface Count {
  name: string;
  requests: number;
  instructions: number;
  perRequest: number;
  /** Where the window's instructions went, per request: by kind and the top functions by self count. */
  top: string;
  /** Per request, every event of the main thread's dump (eventsPerRequest): the cache and branch simulation's too. */
  events: Record<string, number>;
}

export function valgrindAvailable(): boolean {
  return spawnSync('valgrind', ['--version']).status === 0 && spawnSync('callgrind_control', ['-h']).error === undefined;
}

/** A port free right now on 127.0.0.1 (bound to 0, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once `ready` appears on its stderr (bounded). */
export function startProcess(cmd: string, args: string[], ready: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not start: ${err.slice(-2000)}`));
    }, 600_000);
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code}): ${err.slice(-2000)}`));
    });
  });
}

/** The benchmarks' node:http upstream (bench-upstream.ts) on a free port: what the proxies under test forward to. */
export async function startBenchUpstream(cwd: string): Promise<{ port: number; process: ChildProcess }> {
  const port = await freePort();
  const child = await startProcess(
    process.execPath,
    ['--import', 'tsx', 'tools/bench/bench-upstream.ts', String(port)],
    'upstream ready',
    cwd,
  );
  return { port, process: child };
}

/** One keep-alive connection sending `GET path` and reading each response (Content-Length framed) before the next. */
class SequentialClient {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private left = 0;
  private done: (() => void) | undefined;
  private failed: ((err: Error) => void) | undefined;
  statusErrors = 0;
  /** The first answer that was not 200, for the error message. */
  firstError = '';

  constructor(
    port: number,
    private readonly request: Buffer,
  ) {
    this.socket = connect({ port, host: '127.0.0.1', noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.failed?.(err));
    this.socket.on('close', () => this.failed?.(new Error('proxy closed the connection')));
  }

  run(count: number): Promise<void> {
    this.left = count;
    this.statusErrors = 0;
    return new Promise((resolve, reject) => {
      this.done = resolve;
      this.failed = reject;
      this.next();
    });
  }

  close(): void {
    this.failed = undefined;
    this.socket.destroy();
  }

  private next(): void {
    if (this.left === 0) {
      this.done?.();
      return;
    }
    this.left--;
    this.socket.write(this.request);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const total = headEnd + 4 + length;
    if (this.buffered.length < total) return;
    if (!head.startsWith('HTTP/1.1 200')) {
      this.statusErrors++;
      this.firstError ||= this.buffered.toString('latin1', 0, total).slice(0, 600);
    }
    this.buffered = this.buffered.subarray(total);
    this.next();
  }
}

/** Runs `perConnection` requests on each client; returns how many answers were not 200, and the first of them. */
async function load(clients: SequentialClient[], perConnection: number): Promise<{ errors: number; first: string }> {
  await Promise.all(clients.map((c) => c.run(perConnection)));
  return { errors: clients.reduce((n, c) => n + c.statusErrors, 0), first: clients.find((c) => c.firstError)?.firstError ?? '' };
}

function callgrindControl(pid: number, command: string): void {
  const result = spawnSync('callgrind_control', [command, String(pid)], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`callgrind_control ${command} failed: ${result.stderr || result.stdout}`);
}

/** The proxy's program and arguments; `nodeFlags` go to node's own command line and are ignored for any other program. */
export function commandLine(proxy: ProxyUnderTest, port: number, nodeFlags: string[] = []): [string, ...string[]] {
  return proxy.command === undefined ? [process.execPath, ...nodeFlags, ...proxy.args(port)] : [proxy.command, ...proxy.args(port)];
}

/** Runs `proxy` under callgrind and counts the instructions of `options.requests` requests after the warm-up. */
export async function countInstructions(proxy: ProxyUnderTest, options: CountOptions): Promise<Count> {
  const dir = mkdtempSync(join(tmpdir(), 'instructions-'));
  const port = await freePort();
  const out = join(dir, 'callgrind.out');
  const nodeFlags = proxy.command === undefined ? (options.nodeFlags ?? []) : [];
  const child = await startProcess(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      '--dump-instr=no',
      ...(options.simulateCaches === true ? ['--cache-sim=yes', '--branch-sim=yes'] : []),
      ...(process.env['CALLGRIND_FLAGS'] ?? '').split(' ').filter(Boolean),
      ...commandLine(proxy, port, nodeFlags),
    ],
    proxy.ready,
    options.cwd,
    proxy.env?.(port) ?? {},
  );
  try {
    const pid = child.pid as number;
    const perConnection = Math.ceil(options.requests / options.connections);
    // The same connections warm up and are measured: a connection closing deoptimises the proxy's hot functions
    // (stream and socket code sees new types), and their re-optimisation would then be counted as per-request work.
    const request = Buffer.from(`GET ${options.path} HTTP/1.1\r\nHost: ${options.host}\r\nUser-Agent: instructions\r\nAccept: */*\r\n\r\n`);
    const clients = Array.from({ length: options.connections }, () => new SequentialClient(port, request));
    try {
      await load(clients, Math.ceil(options.warmup / options.connections));
      callgrindControl(pid, '--zero');
      const { errors, first } = await load(clients, perConnection);
      if (errors > 0) throw new Error(`${proxy.name}: ${errors} responses were not 200; the first:\n${first}`);
      callgrindControl(pid, '--dump');
    } finally {
      for (const c of clients) c.close();
    }
    // The window's dump: `callgrind.out.1`, or one file per thread (`callgrind.out.1-01` ...) with --separate-threads.
    const dumps = readdirSync(dir)
      .filter((f) => f.startsWith('callgrind.out.1'))
      .map((f) => join(dir, f));
    if (dumps.length === 0) throw new Error(`${proxy.name}: no callgrind dump in ${dir}`);
    const perThread = dumps.map((file) => Number(/^(?:summary|totals):\s+(\d+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? Number.NaN));
    const instructions = perThread.reduce((a, b) => a + b, 0);
    const requests = perConnection * options.connections;
    const main = dumps.find((f) => f.endsWith('-01')) ?? (dumps[0] as string);
    const perfMap = nodeFlags.includes('--perf-basic-prof') ? `/tmp/perf-${pid}.map` : undefined;
    const threads = perThread.length > 1 ? `per thread/request: ${perThread.map((n) => Math.round(n / requests)).join(' ')}\n` : '';
    const mainText = readFileSync(main, 'utf8');
    const top = threads + breakdown(mainText, requests, perfMap, Number(process.env['CALLGRIND_TOP'] ?? 30));
    return {
      name: proxy.name,
      requests,
      instructions,
      perRequest: instructions / requests,
      top,
      events: eventsPerRequest(mainText, requests),
    };
  } finally {
    child.kill('SIGKILL');
    // CALLGRIND_KEEP=1 keeps the dumps for callgrind_annotate and Node's perf map (JIT code addresses to names).
    if (process.env['CALLGRIND_KEEP'])
      process.stderr.write(`${proxy.name}: callgrind dumps kept in ${dir} (perf map /tmp/perf-${child.pid}.map)\n`);
    else {
      if (child.pid !== undefined) rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The proxies compared: the gateway's edge as the benchmark runs it; the floor of its socket I/O (floor-relay.ts:
 * a blind relay reading and writing as the edge does, so gateway minus floor is the HTTP work); the blind Node
 * relay through streams (node-pipe, the reference); and nginx as the benchmark configures it, as one
 * process (`master_process off`: the worker's work, callgrind follows no children), where Debian's nginx is
 * installed. Node's are bundled first (as `nx build` does): tsx compiling TypeScript under valgrind would take
 * minutes to start. `only` names the one wanted (the others are not bundled).
 */
export async function proxies(cwd: string, upstreamPort: number, accessLog = true, only?: string): Promise<ProxyUnderTest[]> {
  const outDir = (name: string): string => join(cwd, 'dist', 'instructions', `${name}-${process.pid}`);
  const wanted = (name: string): boolean => only === undefined || only === name;
  const found: ProxyUnderTest[] = [];
  if (wanted('gateway')) {
    const gateway = await bundleService('apps/gateway', {
      workspaceRoot: cwd,
      outDir: outDir('gateway'),
      entry: 'src/edge/bench/bench-server.ts',
    });
    found.push({
      name: 'gateway',
      args: () => [gateway.outFile],
      env: (port) => ({
        BENCH_UPSTREAM: `http://127.0.0.1:${upstreamPort}`,
        GATEWAY_HTTP_PORT: String(port),
        GATEWAY_WORKERS: '1',
        GATEWAY_ACCESS_LOG: String(accessLog),
      }),
      ready: 'edge ready',
    });
  }
  if (wanted('floor')) {
    const floor = await bundleService('apps/gateway', {
      workspaceRoot: cwd,
      outDir: outDir('floor'),
      entry: 'src/edge/bench/floor-relay.ts',
    });
    found.push({ name: 'floor', args: (port) => [floor.outFile, String(port), String(upstreamPort)], ready: 'floor ready' });
  }
  if (wanted('node-pipe')) {
    const pipe = await bundleService('tools/bench', { workspaceRoot: cwd, outDir: outDir('node-pipe'), entry: 'bench-pipe.ts' });
    found.push({ name: 'node-pipe', args: (port) => [pipe.outFile, String(port), String(upstreamPort)], ready: 'pipe ready' });
  }
  if (wanted('nginx') && existsSync(NGINX)) found.push(nginxUnderTest(outDir('nginx'), upstreamPort, accessLog));
  return found;
}

const NGINX = '/usr/sbin/nginx';

function nginxUnderTest(dir: string, upstreamPort: number, accessLog: boolean): ProxyUnderTest {
  return {
    name: 'nginx',
    command: NGINX,
    args: (port) => {
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, 'nginx.conf');
      writeFileSync(conf, nginxConfig(dir, port, upstreamPort, 1, { singleProcess: true, accessLog }));
      return ['-c', conf, '-p', dir];
    },
    // Logged (error_log stderr notice) once the listening sockets are open and the event loop is about to start.
    ready: 'getrlimit(RLIMIT_NOFILE)',
  };
}
