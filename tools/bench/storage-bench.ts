/**
 * Storage benchmark (issue 9, "Speed and memory"): in one run, with the real auth and storage entries (each on its
 * own test database) and the gateway edge (apps/gateway/src/edge/bench) routing storage.cloud.localhost to storage:
 *   - a generated upload of --size-mb (default 1024 MiB) and its download, straight to storage and through the
 *     gateway, in MB/s, with the peak RSS and the CPU seconds per GiB of the storage and of the gateway process
 *     during each transfer; --rounds (default 3) rounds, direct and gateway interleaved within each round (the
 *     machine is shared: drifting background load then hits both routes alike), medians reported;
 *   - --files (default 10,000) small files uploaded through the API (16 at a time), then the first page of
 *     GET /storage/files?namespace=... (median of 20, straight and through the gateway).
 * Prints a table and rewrites docs/storage-benchmark.md.
 *
 *   npm run bench:storage [-- --size-mb 1024 --rounds 3 --files 10000 --no-write]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { cpuMicros, minorFaults, procCounters, type ProcCounters } from './proc-cpu';
import { median } from './stats';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    files: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    directions: { type: 'string', default: 'upload,download' },
    routes: { type: 'string', default: 'direct,gateway' },
    'storage-cpu-prof': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const sizeMb = Number(values['size-mb']);
const fileCount = Number(values.files);
const rounds = Number(values.rounds);
// Diagnosis: a subset of the transfers (the report needs all four), storage run with --cpu-prof into that folder.
const directions = values.directions.split(',').filter((d): d is 'upload' | 'download' => d === 'upload' || d === 'download');
const routeSet = values.routes.split(',').filter((r): r is 'direct' | 'gateway' => r === 'direct' || r === 'gateway');
const complete = directions.length === 2 && routeSet.length === 2;
const SIZE = sizeMb * 1024 * 1024;
const HOST = 'storage.cloud.localhost';
const SERVICE_KEY = 'storage-bench-service-key';
const CONCURRENCY = 16;
const WARM_UP = 16 * 1024 * 1024;
const LIST_SAMPLES = 20;
const TARGETS = { throughputRatio: 0.8, rssMb: 200, firstPageMs: 50 };
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'storage-bench-'));
const children: ChildProcess[] = [];

function progress(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
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

/** Runs an entry file with tsx, output to files in the work dir. */
function startEntry(name: string, entry: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const out = openSync(join(work, `${name}.log`), 'w');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') progress(`${name} exited (${code ?? signal}); see ${work}/${name}.log`);
  });
  children.push(child);
  return child;
}

/** Bytes the kernel still has to write back (Dirty + Writeback in /proc/meminfo). */
function unwrittenBytes(): number {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0);
  return (kb('Dirty') + kb('Writeback')) * 1024;
}

/** `sync`, then waits (at most 30 s) until less than 8 MiB is left to write back, plus a second to settle. */
async function settleDisk(): Promise<void> {
  execFileSync('sync');
  const deadline = Date.now() + 30_000;
  while (unwrittenBytes() > 8 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1000));
}

/** Polls until GET `path` on `port` answers 200 (bounded), failing early if the process is gone. */
async function waitReady(child: ChildProcess, port: number, path: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`:${port}${path}: the process exited (${child.exitCode})`);
    try {
      if ((await send(port, 'GET', path, '')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`:${port}${path} never became ready`);
}

/** Peak VmRSS of a process, polled every 100 ms between start() and stop(). */
function rssSampler(pid: number): { stop(): number } {
  const read = (): number => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return 0;
    }
  };
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}

function vmHwm(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  bytes: number;
}

/**
 * One HTTP request with node:http (fetch would not send the Host header the gateway routes on). `upload` bytes are generated from one reused 1 MiB random block, written as the
 * socket drains, so nothing near the transfer size is held in memory; a download is counted, not kept.
 */
function send(
  port: number,
  method: string,
  path: string,
  token: string,
  opts: { json?: unknown; upload?: number; small?: Buffer; discard?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { host: HOST };
    if (token) headers['authorization'] = `Bearer ${token}`;
    let payload: Buffer | undefined;
    if (opts.json !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.json));
      headers['content-type'] = 'application/json';
    } else if (opts.small) payload = opts.small;
    if (payload) headers['content-length'] = payload.length;
    if (opts.upload !== undefined) {
      headers['content-length'] = opts.upload;
      headers['content-type'] = 'application/octet-stream';
    }
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (!opts.discard) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.upload === undefined) {
      req.end(payload);
      return;
    }
    const block = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, i);
    let left = opts.upload;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!req.write(n === block.length ? block : block.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

function expectStatus(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what}: expected ${status}, got ${reply.status}: ${reply.body.slice(0, 300)}`);
  return reply;
}

interface Transfer {
  round: number;
  route: 'direct' | 'gateway';
  direction: 'upload' | 'download';
  mbPerS: number;
  storageRss: number;
  gatewayRss: number;
  /** CPU seconds (utime + stime) per GiB transferred. */
  storageCpu: number;
  gatewayCpu: number;
  /** Minor page faults per MiB transferred. */
  storageFaults: number;
  gatewayFaults: number;
  /** Storage's side, per MiB transferred: CPU ms in user and kernel mode, system calls, context switches. */
  storage: StorageCosts;
}

interface StorageCosts {
  userMs: number;
  systemMs: number;
  readCalls: number;
  writeCalls: number;
  voluntarySwitches: number;
  involuntarySwitches: number;
}

function storageCosts(before: ProcCounters, after: ProcCounters, mib: number): StorageCosts {
  return {
    userMs: (after.userMicros - before.userMicros) / 1000 / mib,
    systemMs: (after.systemMicros - before.systemMicros) / 1000 / mib,
    readCalls: (after.readCalls - before.readCalls) / mib,
    writeCalls: (after.writeCalls - before.writeCalls) / mib,
    voluntarySwitches: (after.voluntarySwitches - before.voluntarySwitches) / mib,
    involuntarySwitches: (after.involuntarySwitches - before.involuntarySwitches) / mib,
  };
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
const met = (ok: boolean): string => (ok ? 'met' : '**not met**');

async function main(): Promise<void> {
  const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const loadBefore = loadavg();
  const started = new Date();
  progress(`work dir ${work}; ${sizeMb} MiB transfer, ${fileCount} files`);
  const dbs: TestDatabase[] = [];
  let failed = false;
  try {
    const authDb = await createTestDatabase('bench_auth');
    dbs.push(authDb);
    const storageDb = await createTestDatabase('bench_storage');
    dbs.push(storageDb);
    const ports = { auth: await freePort(), storage: await freePort(), gateway: await freePort() };
    const common = { SERVICE_API_KEY: SERVICE_KEY, LOG_LEVEL: 'warn', NODE_ENV: 'development' };

    const auth = startEntry('auth', 'apps/auth/src/main.ts', { ...common, PORT: String(ports.auth), DATABASE_NAME: authDb.database });
    const storage = startEntry(
      'storage',
      'apps/storage/src/main.ts',
      {
        ...common,
        PORT: String(ports.storage),
        DATABASE_NAME: storageDb.database,
        STORAGE_DIR: join(work, 'blobs'),
        AUTH_URL: `http://127.0.0.1:${ports.auth}`,
        STORAGE_QUOTA_BYTES: String(4 * SIZE + 1024 * 1024 * 1024),
      },
      values['storage-cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['storage-cpu-prof']}`] : [],
    );
    const gateway = startEntry('gateway', 'apps/gateway/src/edge/bench/bench-server.ts', {
      GATEWAY_HTTP_PORT: String(ports.gateway),
      GATEWAY_WORKERS: '1',
      BENCH_STORAGE_UPSTREAM: `http://127.0.0.1:${ports.storage}`,
    });
    await waitReady(auth, ports.auth, '/readyz');
    await waitReady(storage, ports.storage, '/readyz');
    await waitReady(gateway, ports.gateway, '/readyz'); // storage's, through the gateway
    const [storagePid, gatewayPid] = [storage.pid ?? 0, gateway.pid ?? 0];
    progress(`auth :${ports.auth}, storage :${ports.storage} (pid ${storagePid}), gateway :${ports.gateway} (pid ${gatewayPid})`);

    // A real session of the development admin, as the dashboard gets one.
    const login = await fetch(`http://127.0.0.1:${ports.auth}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'edd-cloud-dev' }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    for (const name of ['bench-big', 'bench-list'])
      expectStatus(await send(ports.storage, 'POST', '/storage/namespaces', token, { json: { name } }), 201, `create ${name}`);

    // Warm-up (JIT, connection set-up) on both routes, so the first measured row is not the one that pays for it.
    for (const port of [ports.storage, ports.gateway]) {
      expectStatus(await send(port, 'POST', '/storage/bench-big/warm-up.bin?overwrite=true', token, { upload: WARM_UP }), 201, 'warm-up');
      expectStatus(await send(port, 'GET', '/storage/bench-big/warm-up.bin', token, { discard: true }), 200, 'warm-up');
    }
    // Big transfers: each round uploads straight and through the gateway, then downloads both files; the route
    // that goes first alternates between rounds.
    const transfers: Transfer[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 1 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
      const routes = order.filter((route) => routeSet.includes(route));
      for (const direction of directions) {
        for (const route of routes) {
          const port = route === 'direct' ? ports.storage : ports.gateway;
          const path = `/storage/bench-big/${route}.bin`;
          // An upload starts from the same disk state every time: the file it would replace is gone and the
          // page cache's dirty data written back (otherwise the previous transfer's writeback, or freeing the
          // replaced 1 GiB file on commit, is paid inside this transfer).
          if (direction === 'upload') await send(port, 'DELETE', path, token);
          await settleDisk();
          const storageRss = rssSampler(storagePid);
          const gatewayRss = rssSampler(gatewayPid);
          const cpu0 = { storage: cpuMicros(storagePid), gateway: cpuMicros(gatewayPid) };
          const faults0 = { storage: minorFaults(storagePid), gateway: minorFaults(gatewayPid) };
          const counters0 = procCounters(storagePid);
          const t0 = performance.now();
          const reply =
            direction === 'upload'
              ? expectStatus(await send(port, 'POST', `${path}?overwrite=true`, token, { upload: SIZE }), 201, `${route} upload`)
              : expectStatus(await send(port, 'GET', path, token, { discard: true }), 200, `${route} download`);
          const seconds = (performance.now() - t0) / 1000;
          if (direction === 'download' && reply.bytes !== SIZE) throw new Error(`${route} download: ${reply.bytes} of ${SIZE} bytes`);
          const gib = SIZE / 2 ** 30;
          const row: Transfer = {
            round,
            route,
            direction,
            mbPerS: SIZE / 1e6 / seconds,
            storageRss: storageRss.stop(),
            gatewayRss: gatewayRss.stop(),
            storageCpu: (cpuMicros(storagePid) - cpu0.storage) / 1e6 / gib,
            gatewayCpu: (cpuMicros(gatewayPid) - cpu0.gateway) / 1e6 / gib,
            storageFaults: (minorFaults(storagePid) - faults0.storage) / sizeMb,
            gatewayFaults: (minorFaults(gatewayPid) - faults0.gateway) / sizeMb,
            storage: storageCosts(counters0, procCounters(storagePid), sizeMb),
          };
          const c = row.storage;
          transfers.push(row);
          progress(
            `round ${round} ${route.padEnd(7)} ${direction.padEnd(8)} ${row.mbPerS.toFixed(0).padStart(5)} MB/s  storage RSS ${mb(row.storageRss)} MB, ` +
              `CPU ${row.storageCpu.toFixed(2)} s/GiB, ${row.storageFaults.toFixed(0)} faults/MiB  gateway RSS ${mb(row.gatewayRss)} MB, ` +
              `CPU ${row.gatewayCpu.toFixed(2)} s/GiB, ${row.gatewayFaults.toFixed(0)} faults/MiB\n` +
              `    storage per MiB: user ${c.userMs.toFixed(2)} ms, system ${c.systemMs.toFixed(2)} ms, ` +
              `${c.readCalls.toFixed(1)} reads, ${c.writeCalls.toFixed(1)} writes, ` +
              `${c.voluntarySwitches.toFixed(1)} voluntary + ${c.involuntarySwitches.toFixed(1)} involuntary switches`,
          );
        }
      }
    }

    if (!complete) {
      progress('only some of the transfers ran (--directions/--routes): no listing and no report');
      return;
    }
    // 10,000 small files through the API, 16 at a time.
    const seedRss = rssSampler(storagePid);
    const seedStart = performance.now();
    let next = 0;
    const body = Buffer.from('x'.repeat(100));
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < fileCount) {
          const i = next++;
          const path = `/storage/bench-list/f${String(i).padStart(5, '0')}.txt`;
          expectStatus(await send(ports.storage, 'POST', path, token, { small: body }), 201, `small upload ${i}`);
        }
      }),
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const seedStorageRss = seedRss.stop();
    progress(
      `${fileCount} files uploaded in ${seedSeconds.toFixed(1)} s (${(fileCount / seedSeconds).toFixed(0)}/s), storage RSS ${mb(seedStorageRss)} MB`,
    );

    const firstPage: Record<'direct' | 'gateway', number> = { direct: 0, gateway: 0 };
    let pageSize = 0;
    for (const route of ['direct', 'gateway'] as const) {
      const port = route === 'direct' ? ports.storage : ports.gateway;
      const samples: number[] = [];
      for (let i = 0; i <= LIST_SAMPLES; i++) {
        const t0 = performance.now();
        const reply = expectStatus(await send(port, 'GET', '/storage/files?namespace=bench-list', token), 200, 'list');
        if (i > 0) samples.push(performance.now() - t0); // the first one warms up
        pageSize = (JSON.parse(reply.body) as { files: unknown[] }).files.length;
      }
      firstPage[route] = median(samples);
      progress(`first page ${route.padEnd(7)} median ${firstPage[route].toFixed(1)} ms (${pageSize} entries)`);
    }

    const hwm = { storage: vmHwm(storagePid), gateway: vmHwm(gatewayPid) };
    const loadAfter = loadavg();
    const report = renderStorageReport({
      started,
      cpuModel,
      cores: cpus().length,
      loadBefore,
      loadAfter,
      transfers,
      firstPage,
      pageSize,
      seedSeconds,
      seedStorageRss,
      hwm,
    });
    process.stdout.write(`\n${report}\n`);
    if (!values['no-write']) {
      writeFileSync(join(root, 'docs/storage-benchmark.md'), report);
      progress('wrote docs/storage-benchmark.md');
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    for (const db of dbs) await db.drop();
    // The logs stay when the run failed.
    if (!failed) rmSync(work, { recursive: true, force: true });
  }
}

interface ReportInput {
  started: Date;
  cpuModel: string;
  cores: number;
  loadBefore: number[];
  loadAfter: number[];
  transfers: Transfer[];
  firstPage: Record<'direct' | 'gateway', number>;
  pageSize: number;
  seedSeconds: number;
  seedStorageRss: number;
  hwm: { storage: number; gateway: number };
}

/** The non-default options of this run, as they would be typed after `npm run bench:storage`. */
function benchArgs(): string {
  const args = [
    sizeMb === 1024 ? '' : `--size-mb ${sizeMb}`,
    rounds === 3 ? '' : `--rounds ${rounds}`,
    fileCount === 10000 ? '' : `--files ${fileCount}`,
  ].filter(Boolean);
  return args.length ? ` -- ${args.join(' ')}` : '';
}

function renderStorageReport(r: ReportInput): string {
  const rowsOf = (route: Transfer['route'], direction: Transfer['direction']): Transfer[] => {
    const rows = r.transfers.filter((t) => t.route === route && t.direction === direction);
    if (rows.length === 0) throw new Error(`no ${route} ${direction} row`);
    return rows;
  };
  const med = (route: Transfer['route'], direction: Transfer['direction'], key: 'mbPerS' | 'storageCpu' | 'gatewayCpu'): number =>
    median(rowsOf(route, direction).map((t) => t[key]));
  const ratio = (direction: Transfer['direction']): number => med('gateway', direction, 'mbPerS') / med('direct', direction, 'mbPerS');
  const perRound = (direction: Transfer['direction']): string =>
    rowsOf('gateway', direction)
      .map((g) => {
        const d = rowsOf('direct', direction).find((t) => t.round === g.round);
        return d ? `${((g.mbPerS / d.mbPerS) * 100).toFixed(0)} %` : '?';
      })
      .join(', ');
  const peak = (key: 'storageRss' | 'gatewayRss'): number => Math.max(...r.transfers.map((t) => t[key]));
  const limit = TARGETS.rssMb * 1024 * 1024;
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' ');
  const size = sizeMb === 1024 ? '1 GiB' : `${sizeMb} MiB`;
  return [
    '# Storage benchmark',
    '',
    `Issue 9's "Speed and memory" targets, measured by \`tools/bench/storage-bench.ts\` on ${r.started.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    '```',
    `npm run bench:storage${benchArgs()}`,
    '```',
    '',
    `Machine: ${r.cpuModel}, ${r.cores} cores (shared with other work), Linux, Node ${process.version}; load average (1/5/15 min) ${load(r.loadBefore)} before, ${load(r.loadAfter)} after.`,
    '',
    'Set-up: the real `apps/auth` and `apps/storage` entries (each on its own fresh test database, blobs on the `fs` store in a',
    'temp dir), and the gateway edge as `apps/gateway/src/edge/bench/bench-server.ts` runs it (one worker, access log and',
    'metrics on) routing `storage.cloud.localhost` to storage. The client logs in as the development admin and sends',
    '`Authorization: Bearer <session token>`. After a 16 MiB warm-up on each route, generated transfers (a reused random',
    '1 MiB block, raw body with Content-Length) in rounds: each round uploads the file straight and through the gateway, then',
    'downloads both (the route that goes first alternates between rounds), so drifting background load hits both routes alike.',
    'Before each transfer the file an upload would replace is deleted and the disk settled (`sync`, then dirty and writeback',
    "pages under 8 MiB): otherwise the previous transfer's writeback, or freeing the replaced file, is paid inside this one.",
    'RSS is the peak VmRSS polled every 100 ms during a transfer; CPU is utime + stime from /proc per GiB transferred;',
    'faults are minor page faults per MiB transferred (256 would be a fresh page for every byte read: see apps/gateway/src/edge/README.md);',
    "storage's system calls (/proc/<pid>/io syscr + syscw) and context switches (voluntary + involuntary, all threads) are per MiB too.",
    'Storage writes an upload to disk in 1 MiB batches (apps/storage/src/blobs/fs/file-writer.ts): one write per 64 KiB socket chunk was',
    "a thread-pool round trip each, ~50 context switches per MiB, whose cost grew with the machine's load and with the gateway as a third busy process.",
    '',
    `## ${size} transfer, median of ${rounds} round${rounds === 1 ? '' : 's'}`,
    '',
    '| route | direction | MB/s | storage CPU | gateway CPU |',
    '|---|---|---:|---:|---:|',
    ...(['upload', 'download'] as const).flatMap((direction) =>
      (['direct', 'gateway'] as const).map(
        (route) =>
          `| ${route} | ${direction} | ${med(route, direction, 'mbPerS').toFixed(0)} | ${med(route, direction, 'storageCpu').toFixed(2)} s/GiB | ` +
          `${route === 'direct' ? '–' : `${med(route, direction, 'gatewayCpu').toFixed(2)} s/GiB`} |`,
      ),
    ),
    '',
    `Gateway ÷ direct per round: upload ${perRound('upload')}; download ${perRound('download')}.`,
    '',
    '<details><summary>Every transfer</summary>',
    '',
    '| round | route | direction | MB/s | storage peak RSS | gateway peak RSS | storage CPU | gateway CPU | storage faults | gateway faults | storage user + kernel | storage syscalls | storage switches |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.transfers.map(
      (t) =>
        `| ${t.round} | ${t.route} | ${t.direction} | ${t.mbPerS.toFixed(0)} | ${mb(t.storageRss)} MB | ${mb(t.gatewayRss)} MB | ` +
        `${t.storageCpu.toFixed(2)} s/GiB | ${t.gatewayCpu.toFixed(2)} s/GiB | ${t.storageFaults.toFixed(0)}/MiB | ${t.gatewayFaults.toFixed(0)}/MiB | ` +
        `${t.storage.userMs.toFixed(2)} + ${t.storage.systemMs.toFixed(2)} ms/MiB | ${(t.storage.readCalls + t.storage.writeCalls).toFixed(0)}/MiB | ` +
        `${(t.storage.voluntarySwitches + t.storage.involuntarySwitches).toFixed(0)}/MiB |`,
    ),
    '',
    '</details>',
    '',
    `Peak RSS over the whole run (VmHWM, start-up and the listing included): storage ${mb(r.hwm.storage)} MB, gateway ${mb(r.hwm.gateway)} MB.`,
    '',
    `## Listing ${fileCount.toLocaleString('en')} files`,
    '',
    `${fileCount.toLocaleString('en')} files of 100 bytes uploaded through the API, ${CONCURRENCY} at a time, in ${r.seedSeconds.toFixed(1)} s; storage's peak RSS meanwhile ${mb(r.seedStorageRss)} MB.`,
    `First page of \`GET /storage/files?namespace=…\` (${r.pageSize} entries), median of ${LIST_SAMPLES} after one warm-up:`,
    `straight ${r.firstPage.direct.toFixed(1)} ms, through the gateway ${r.firstPage.gateway.toFixed(1)} ms.`,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '|---|---|---|',
    `| upload through the gateway ≥ 80 % of straight | ${(ratio('upload') * 100).toFixed(0)} % | ${met(ratio('upload') >= TARGETS.throughputRatio)} |`,
    `| download through the gateway ≥ 80 % of straight | ${(ratio('download') * 100).toFixed(0)} % | ${met(ratio('download') >= TARGETS.throughputRatio)} |`,
    `| gateway peak RSS during the transfers < ${TARGETS.rssMb} MB | ${mb(peak('gatewayRss'))} MB | ${met(peak('gatewayRss') < limit)} |`,
    `| storage peak RSS during the transfers < ${TARGETS.rssMb} MB | ${mb(peak('storageRss'))} MB | ${met(peak('storageRss') < limit)} |`,
    `| first page of ${fileCount.toLocaleString('en')} files < ${TARGETS.firstPageMs} ms (through the gateway) | ${r.firstPage.gateway.toFixed(1)} ms | ${met(r.firstPage.gateway < TARGETS.firstPageMs)} |`,
    '',
    'One run on a shared machine: figures move with background load (see the load averages); rerun before drawing fine conclusions.',
    '',
  ].join('\n');
}

await main().catch((error: unknown) => {
  process.exitCode = 1;
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nlogs kept in ${work}\n`);
});
