/**
 * Large-body benchmark: the same upload and download straight to a node:http upstream
 * (tools/bench/body-upstream.ts), through the gateway edge (apps/gateway/src/edge/bench/bench-server.ts) and
 * through a blind Node TCP relay (tools/bench/bench-pipe.ts), interleaved in rounds. Per transfer: MB/s and
 * the CPU seconds per GiB of the client (this process), the upstream and the proxy (utime+stime from /proc).
 * Prints the medians; writes nothing.
 *
 *   npx tsx tools/bench/body-bench.ts [--size-mb 1024 --rounds 3 --only gateway]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuMicros, minorFaults } from './proc-cpu';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const SIZE = Number(values['size-mb']) * 1024 * 1024;
const rounds = Number(values.rounds);
const HOST = 'bench.cloud.localhost';
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'body-bench-'));
const children: ChildProcess[] = [];

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

function start(name: string, args: string[], ready: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const out = openSync(join(work, `${name}.out.log`), 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      if (err.includes(ready)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}): ${err}`)));
  });
}

const block = Buffer.alloc(1024 * 1024, 0x62);

/** One transfer with node:http, as tools/bench/storage-bench.ts does it. Resolves with the bytes received. */
function transfer(port: number, direction: 'upload' | 'download'): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: HOST };
    if (direction === 'upload') headers['content-length'] = SIZE;
    const path = direction === 'upload' ? '/sink' : `/source?bytes=${SIZE}`;
    const req = request({ host: '127.0.0.1', port, method: direction === 'upload' ? 'POST' : 'GET', path, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (direction === 'download') return void req.end();
    let left = SIZE;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!req.write(n === block.length ? block : block.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

interface Sample {
  mbPerS: number;
  client: number;
  upstream: number;
  proxy: number;
  proxyFaultsPerMiB: number;
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const ports = { upstream: await freePort(), gateway: await freePort(), pipe: await freePort() };
  const upstream = await start('upstream', ['tools/bench/body-upstream.ts', String(ports.upstream)], 'upstream ready');
  const gateway = await start('gateway', ['apps/gateway/src/edge/bench/bench-server.ts'], 'edge ready', {
    BENCH_UPSTREAM: `http://127.0.0.1:${ports.upstream}`,
    GATEWAY_HTTP_PORT: String(ports.gateway),
    GATEWAY_WORKERS: '1',
  });
  const pipe = await start('pipe', ['tools/bench/bench-pipe.ts', String(ports.pipe), String(ports.upstream)], 'pipe ready');
  const routes = [
    { name: 'direct', port: ports.upstream, pid: 0 },
    { name: 'gateway', port: ports.gateway, pid: gateway.pid ?? 0 },
    { name: 'node-pipe', port: ports.pipe, pid: pipe.pid ?? 0 },
  ].filter((r) => !values.only || r.name === 'direct' || r.name === values.only);
  const results = new Map<string, Sample[]>();
  process.stdout.write(
    `load before ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );
  for (let round = 0; round <= rounds; round++) {
    for (const direction of ['upload', 'download'] as const) {
      for (const route of routes) {
        const cpu0 = process.cpuUsage();
        const up0 = cpuMicros(upstream.pid ?? 0);
        const px0 = route.pid ? cpuMicros(route.pid) : 0;
        const flt0 = route.pid ? minorFaults(route.pid) : 0;
        const t0 = performance.now();
        const got = await transfer(route.port, direction);
        const seconds = (performance.now() - t0) / 1000;
        if (direction === 'download' && got !== SIZE) throw new Error(`${route.name}: ${got} of ${SIZE} bytes`);
        const c = process.cpuUsage(cpu0);
        const gib = SIZE / 2 ** 30;
        const s: Sample = {
          mbPerS: SIZE / 1e6 / seconds,
          client: (c.user + c.system) / 1e6 / gib,
          upstream: (cpuMicros(upstream.pid ?? 0) - up0) / 1e6 / gib,
          proxy: route.pid ? (cpuMicros(route.pid) - px0) / 1e6 / gib : 0,
          proxyFaultsPerMiB: route.pid ? (minorFaults(route.pid) - flt0) / (SIZE / 2 ** 20) : 0,
        };
        if (round === 0) continue; // warm-up round
        const key = `${route.name} ${direction}`;
        results.set(key, [...(results.get(key) ?? []), s]);
        process.stdout.write(
          `${key.padEnd(20)} ${s.mbPerS.toFixed(0).padStart(5)} MB/s  CPU s/GiB: client ${s.client.toFixed(2)} upstream ${s.upstream.toFixed(2)} proxy ${s.proxy.toFixed(2)}  proxy faults/MiB ${s.proxyFaultsPerMiB.toFixed(0)}\n`,
        );
      }
    }
  }
  process.stdout.write(
    `load after ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\nmedians:\n`,
  );
  for (const [key, xs] of results) {
    process.stdout.write(
      `${key.padEnd(20)} ${med(xs.map((x) => x.mbPerS))
        .toFixed(0)
        .padStart(
          5,
        )} MB/s  CPU s/GiB: client ${med(xs.map((x) => x.client)).toFixed(2)} upstream ${med(xs.map((x) => x.upstream)).toFixed(2)} proxy ${med(xs.map((x) => x.proxy)).toFixed(2)}  proxy faults/MiB ${med(xs.map((x) => x.proxyFaultsPerMiB)).toFixed(0)}\n`,
    );
  }
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`body bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => rmSync(work, { recursive: true, force: true }), 500).unref();
  });
