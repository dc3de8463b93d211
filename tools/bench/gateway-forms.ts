import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { bundleService } from '../build/bundle-service';

/**
 * The gateway in the forms the benchmark compares:
 *   edge   - apps/gateway/src/edge alone (bench/bench-server.ts: real route table and metrics, no control plane)
 *   bundle - the production bundle of apps/gateway/src/main.ts (what `nx build gateway` makes), run with plain node
 *   start  - apps/gateway/src/main.ts under tsx with the environment `npm start` gives it
 * The last two are the real entry: control plane on PostgreSQL (gateway_db) and NATS, admin API, metrics, access
 * log; the upstream is reached through a route added with the admin API and removed at the end.
 */
export type GatewayForm = 'edge' | 'bundle' | 'start';
export const GATEWAY_FORMS: readonly GatewayForm[] = ['edge', 'bundle', 'start'];

export interface RunningGateway {
  pid: number;
  port: number;
  /** The Host header that routes to the upstream. */
  host: string;
  stop(): Promise<void>;
}

export interface GatewayFormOptions {
  root: string;
  /** Where logs (and the bundle, under root/tmp) go. */
  work: string;
  upstreamPort: number;
  workers: number;
  freePort(): Promise<number>;
  /** Node options put before the entry (e.g. --use-largepages=on); workers inherit them through cluster. */
  nodeFlags?: readonly string[];
  /** The Node binary to run it with; this process's own by default. */
  node?: string;
  /** More environment for the gateway (e.g. GATEWAY_BATCHED_IO=false), over the form's own. */
  env?: Record<string, string>;
}

export const EDGE_BENCH_HOST = 'bench.cloud.localhost';

export async function startGatewayForm(form: GatewayForm, options: GatewayFormOptions): Promise<RunningGateway> {
  return form === 'edge' ? startEdgeForm(options) : startRealEntry(form, options);
}

async function startEdgeForm(options: GatewayFormOptions): Promise<RunningGateway> {
  const port = await options.freePort();
  const child = spawnLogged(options, 'gateway-edge', ['--import', 'tsx', 'apps/gateway/src/edge/bench/bench-server.ts'], {
    BENCH_UPSTREAM: `http://127.0.0.1:${options.upstreamPort}`,
    GATEWAY_HTTP_PORT: String(port),
    GATEWAY_WORKERS: String(options.workers),
  });
  await waitFor(`the edge on :${port}`, child, () => answers(`http://127.0.0.1:${port}/`, EDGE_BENCH_HOST));
  return { pid: pidOf(child), port, host: EDGE_BENCH_HOST, stop: () => stopChild(child) };
}

async function startRealEntry(form: 'bundle' | 'start', options: GatewayFormOptions): Promise<RunningGateway> {
  const [port, httpsPort, sshPort, adminPort] = [
    await options.freePort(),
    await options.freePort(),
    await options.freePort(),
    await options.freePort(),
  ];
  const token = randomBytes(24).toString('hex');
  const env = {
    EDD_DOMAIN: 'cloud.localhost',
    GATEWAY_HTTP_PORT: String(port),
    GATEWAY_HTTPS_PORT: String(httpsPort),
    GATEWAY_SSH_PORT: String(sshPort),
    GATEWAY_ADMIN_PORT: String(adminPort),
    GATEWAY_ADMIN_TOKEN: token,
    GATEWAY_WORKERS: String(options.workers),
    // The log service is not part of the bench; without it the transport would only count drops.
    LOG_SERVICE_URL: '',
    TSX_TSCONFIG_PATH: join(options.root, 'tsconfig.base.json'),
  };
  let args: string[];
  if (form === 'bundle') {
    // Inside the workspace (tmp/ is git-ignored), so the bundle finds node_modules as dist/ does.
    const { outFile } = await bundleService('apps/gateway', { outDir: join(options.root, 'tmp', `gateway-bench-${process.pid}`) });
    args = [outFile];
  } else {
    args = ['--import', 'tsx', 'apps/gateway/src/main.ts'];
  }
  const child = spawnLogged(options, `gateway-${form}`, args, env);
  const admin = `http://127.0.0.1:${adminPort}`;
  await waitFor(
    `the gateway's admin port :${adminPort}`,
    child,
    async () => (await fetch(`${admin}/readyz`, { signal: AbortSignal.timeout(2_000) })).ok,
  );
  const host = `bench-${randomBytes(4).toString('hex')}.cloud.localhost`;
  const created = await fetch(`${admin}/admin/routes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ host, path_prefix: '/', target: `http://127.0.0.1:${options.upstreamPort}` }),
  });
  if (created.status !== 201) throw new Error(`adding the bench route failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: number };
  // Every worker learns the route through LISTEN/NOTIFY; several answers in a row mean all of them have it.
  await waitFor(`the route ${host}`, child, async () => {
    for (let i = 0; i < 8; i++) if (!(await answers(`http://127.0.0.1:${port}/`, host))) return false;
    return true;
  });
  return {
    pid: pidOf(child),
    port,
    host,
    async stop() {
      await fetch(`${admin}/admin/routes/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(
        () => undefined,
      );
      await stopChild(child);
    },
  };
}

let started = 0;

function spawnLogged(options: GatewayFormOptions, name: string, args: string[], env: Record<string, string>): ChildProcess {
  // Numbered: an A/B runs the same form more than once in one work folder.
  const log = openSync(join(options.work, `${name}-${++started}.log`), 'w');
  return spawn(options.node ?? process.execPath, [...(options.nodeFlags ?? []), ...args], {
    cwd: options.root,
    env: { ...process.env, ...env, ...options.env },
    stdio: ['ignore', log, log],
  });
}

/** Whether GET `url` with this Host answers 200 (node:http: fetch does not let a caller set Host). */
function answers(url: string, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, { headers: { host }, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Polls `ready` every 200 ms for up to 60 s; fails at once if the process exits. */
async function waitFor(what: string, child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gateway exited before ${what} was ready (see its log)`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} not ready within 60 s`);
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('gateway did not spawn');
  return child.pid;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
