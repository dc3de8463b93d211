/**
 * SSH benchmark (issue 11, "Speed"): Debian's OpenSSH client against a real sshd (the test sshd of
 * `@edd/ssh-keys/testing`, the same sshd_config essentials as a sandbox container), straight and through the
 * gateway's SSH plane (apps/gateway/src/ssh/bench/ssh-bench-server.ts, its own process) in the same run:
 *   1. `scp` of --mib (default 1024) MiB up and down, --rounds (default 3) interleaved rounds, median throughput;
 *      the gateway's RSS sampled every 50 ms during its transfers, and its CPU per GiB;
 *   2. `ssh <login>@host true` round trips, --samples (default 20) per route per round, alternating routes:
 *      a full invocation (handshake, login, exec) and an exec on an open connection (ControlMaster).
 * A small HTTP server in this process answers compute's `POST /internal/ssh/authorize` for the one container.
 * Prints the report and rewrites docs/ssh-benchmark.md. Everything it made is removed, also on failure.
 *
 *   flock /tmp/bench.lock npm run bench:ssh [-- --mib 1024 --rounds 3 --samples 20 --cipher <c> --no-write]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sshFingerprint } from '@edd/ssh-keys';
import { ed25519, startTestSshd, type TestSshd } from '@edd/ssh-keys/testing';
import { bundleService } from '../build/bundle-service';
import { cpuMicros } from './proc-cpu';
import { median, percentile } from './stats';

const { values } = parseArgs({
  options: {
    mib: { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    samples: { type: 'string', default: '20' },
    /** Force the client's cipher on both routes (`ssh -c`), e.g. to compare with the default choice. */
    cipher: { type: 'string' },
    /** Write a V8 CPU profile of the gateway to this directory (node --cpu-prof), to see where its CPU goes. */
    profile: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});
const MIB = Number(values.mib);
const ROUNDS = Number(values.rounds);
const SAMPLES = Number(values.samples);
const TARGETS = { ratio: 0.5, rssMb: 200, addedP50Ms: 30 };
// ssh2 builds it at install time when a compiler and Node's headers are there; without it, pure node:crypto paths.
const NATIVE_CRYPTO = existsSync(new URL('../../node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node', import.meta.url));
const CONTAINER = 'bench001'; // a container id is 8 characters of a-z and 0-9
const SERVICE_KEY = `bench-${randomBytes(12).toString('hex')}`;
const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'ssh-bench-'));
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

function progress(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const blobOf = (line: string): Buffer => Buffer.from(line.split(' ')[1] ?? '', 'base64');

/** Compute's authorization contract for one container: the bench user's key may log in, nothing else. */
async function startCompute(sshd: TestSshd, userPublicKey: string): Promise<{ url: string; server: Server }> {
  const allowed = sshFingerprint(blobOf(userPublicKey));
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
      if (body.length > 4096) req.destroy();
    });
    req.on('end', () => {
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/internal/ssh/authorize') return send(404, { error: 'not_found' });
      if (req.headers['x-service-key'] !== SERVICE_KEY) return send(401, { error: 'invalid_service_key' });
      let query: { containerId?: string; fingerprint?: string };
      try {
        query = JSON.parse(body) as typeof query;
      } catch {
        return send(400, { error: 'invalid_json' });
      }
      if (query.containerId !== CONTAINER || query.fingerprint !== allowed) return send(200, { allow: false, reason: 'not this key' });
      send(200, {
        allow: true,
        address: sshd.address,
        port: sshd.port,
        hostKey: sshd.hostKey.publicKey,
        platformPrivateKey: sshd.platformKey.privateKey,
        user: 'root',
        ownerId: 'bench-owner',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface Gateway {
  child: ChildProcess;
  port: number;
  hostKeys: string[];
}

/** Bundled like the production build (esbuild, plain `node`, no tsx in the process), so its RSS is the real one. */
async function startGateway(computeUrl: string, sshPort: number): Promise<Gateway> {
  // Inside the workspace (tmp/ is git-ignored), so the bundle finds node_modules as dist/ does.
  const outDir = join(root, 'tmp', `ssh-bench-${process.pid}`);
  cleanups.push(() => rmSync(outDir, { recursive: true, force: true }));
  const { outFile } = await bundleService('apps/gateway', { entry: 'src/ssh/bench/ssh-bench-server.ts', outDir });
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const child = spawn(process.execPath, [...profile, outFile], {
    cwd: root,
    env: {
      ...process.env,
      COMPUTE_INTERNAL_URL: computeUrl,
      SERVICE_API_KEY: SERVICE_KEY,
      GATEWAY_SSH_PORT: String(sshPort),
      BENCH_WORKSPACE_ROOT: work,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway did not become ready in 60 s')), 60_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { type?: string; port: number; hostKeys: string[] };
        if (parsed.type !== 'ready') return;
        clearTimeout(timer);
        resolve({ child, port: parsed.port, hostKeys: parsed.hostKeys });
      } catch {
        // not ours
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}) before it was ready`));
    });
  });
}

interface Route {
  name: 'direct' | 'gateway';
  login: string;
  port: number;
}

function clientOptions(identity: string, knownHosts: string, portFlag: '-p' | '-P', port: number): string[] {
  return [
    '-F',
    '/dev/null',
    '-i',
    identity,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    ...(values.cipher ? ['-c', values.cipher] : []),
    portFlag,
    String(port),
  ];
}

/** Runs a command to its end; rejects on a non-zero exit (with its stderr) or after `timeoutMs`. */
function run(command: string, args: string[], timeoutMs: number): Promise<{ ms: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve({ ms, stderr });
      else reject(new Error(`${command} ${args.slice(-2).join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

function hwmMb(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) / 1024;
}

type TransferKey = `${Route['name']} ${'up' | 'down'}`;
type ExecKey = `${Route['name']} ${'full' | 'open'}`;

interface Transfer {
  mbps: number;
  peakRssMb: number;
  cpuSecondsPerGiB: number;
}

async function writeSource(path: string, mib: number): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < mib; i++) {
    if (!out.write(randomBytes(1024 * 1024))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Cipher and MAC the client negotiated with that route's server (from `ssh -v`). */
async function negotiated(base: (route: Route) => string[], route: Route): Promise<string> {
  const { stderr } = await run('ssh', ['-v', ...base(route), `${route.login}@127.0.0.1`, 'true'], 30_000);
  const cipher = /kex: client->server cipher: (\S+) MAC: (\S+)/.exec(stderr);
  return cipher ? `${cipher[1]}${cipher[2] === '<implicit>' ? '' : ` + ${cipher[2]}`}` : 'unknown';
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  progress(`load average ${loadBefore.map((n) => n.toFixed(2)).join(' ')}; work dir ${work}`);
  const user = ed25519();
  const sshd = await startTestSshd(CONTAINER);
  cleanups.push(() => sshd.stop());
  await sshd.authorize([sshd.platformKey.publicKey, user.publicKey]);
  const compute = await startCompute(sshd, user.publicKey);
  cleanups.push(() => void compute.server.close());
  const gateway = await startGateway(compute.url, await freePort());
  const gatewayPid = gateway.child.pid ?? 0;
  progress(`sshd on ${sshd.port}, gateway (pid ${gatewayPid}) on ${gateway.port}, compute answers on ${compute.url}`);

  const identity = join(work, 'id_ed25519');
  writeFileSync(identity, user.privateKey, { mode: 0o600 });
  const knownHosts = join(work, 'known_hosts');
  writeFileSync(
    knownHosts,
    [...gateway.hostKeys.map((key) => `[127.0.0.1]:${gateway.port} ${key}`), `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicKey}`].join(
      '\n',
    ) + '\n',
  );
  const direct: Route = { name: 'direct', login: 'root', port: sshd.port };
  const viaGateway: Route = { name: 'gateway', login: CONTAINER, port: gateway.port };
  const routes = [direct, viaGateway];
  const sshArgs = (route: Route) => clientOptions(identity, knownHosts, '-p', route.port);
  const scpArgs = (route: Route) => [...clientOptions(identity, knownHosts, '-P', route.port), '-q'];
  const ciphers = { direct: await negotiated(sshArgs, direct), gateway: await negotiated(sshArgs, viaGateway) };
  progress(`negotiated: direct ${ciphers.direct}, gateway ${ciphers.gateway}`);

  const source = join(work, 'source.bin');
  progress(`writing ${MIB} MiB of random data`);
  await writeSource(source, MIB);
  const rssAtRest = rssMb(gatewayPid);

  const transfer = async (route: Route, direction: 'up' | 'down'): Promise<Transfer> => {
    const remote = `${route.login}@127.0.0.1:`;
    const [from, to] = direction === 'up' ? [source, `${remote}/dev/null`] : [`${remote}${source}`, '/dev/null'];
    let peak = rssMb(gatewayPid);
    const watch = setInterval(() => (peak = Math.max(peak, rssMb(gatewayPid))), 50);
    const cpuBefore = cpuMicros(gatewayPid);
    const { ms } = await run('scp', [...scpArgs(route), from, to], 15 * 60_000);
    clearInterval(watch);
    const cpu = (cpuMicros(gatewayPid) - cpuBefore) / 1e6;
    return { mbps: MIB / (ms / 1000), peakRssMb: peak, cpuSecondsPerGiB: (cpu * 1024) / MIB };
  };
  const results: Record<TransferKey, Transfer[]> = { 'direct up': [], 'gateway up': [], 'direct down': [], 'gateway down': [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which route goes first, so drifting background load hits both alike.
    const order = round % 2 === 0 ? routes : [...routes].reverse();
    for (const direction of ['up', 'down'] as const) {
      for (const route of order) {
        const result = await transfer(route, direction);
        results[`${route.name} ${direction}`].push(result);
        progress(
          `round ${round + 1} ${route.name} ${direction}: ${result.mbps.toFixed(0)} MiB/s, gateway RSS peak ${result.peakRssMb.toFixed(0)} MB`,
        );
      }
    }
  }

  // Exec round trips. Full: a new `ssh` each time (key exchange, login, exec, exit). Open: on a ControlMaster connection.
  const exec: Record<ExecKey, number[]> = { 'direct full': [], 'gateway full': [], 'direct open': [], 'gateway open': [] };
  const masters = await Promise.all(
    routes.map(async (route) => {
      const socket = join(work, `ctl-${route.name}`);
      const master = spawn('ssh', ['-M', '-S', socket, '-N', ...sshArgs(route), `${route.login}@127.0.0.1`], { stdio: 'ignore' });
      children.push(master);
      // The control socket exists once the master is logged in.
      for (let i = 0; i < 200; i++) {
        if (
          await run('ssh', ['-S', socket, '-O', 'check', 'x'], 5_000).then(
            () => true,
            () => false,
          )
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { route, socket, master };
    }),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < SAMPLES; i++) {
      const order = (round * SAMPLES + i) % 2 === 0 ? routes : [...routes].reverse();
      for (const route of order)
        exec[`${route.name} full`].push((await run('ssh', [...sshArgs(route), `${route.login}@127.0.0.1`, 'true'], 30_000)).ms);
      for (const { route, socket } of order === routes ? masters : [...masters].reverse())
        exec[`${route.name} open`].push(
          (await run('ssh', ['-S', socket, ...sshArgs(route), `${route.login}@127.0.0.1`, 'true'], 30_000)).ms,
        );
    }
    progress(`exec round ${round + 1} done`);
  }
  for (const { master } of masters) master.kill('SIGTERM');
  const loadAfter = loadavg();
  const hwm = hwmMb(gatewayPid);

  const report = renderReport({
    mib: MIB,
    rounds: ROUNDS,
    samples: SAMPLES,
    results,
    exec,
    ciphers,
    rssAtRest,
    hwm,
    loadBefore,
    loadAfter,
  });
  process.stdout.write(`\n${report}\n`);
  if (!values['no-write']) writeFileSync(join(root, 'docs/ssh-benchmark.md'), report);
}

interface ReportInput {
  mib: number;
  rounds: number;
  samples: number;
  results: Record<TransferKey, Transfer[]>;
  exec: Record<ExecKey, number[]>;
  ciphers: { direct: string; gateway: string };
  rssAtRest: number;
  hwm: number;
  loadBefore: number[];
  loadAfter: number[];
}

function renderReport(r: ReportInput): string {
  const speed = (key: TransferKey) => median(r.results[key].map((t) => t.mbps));
  const spread = (key: TransferKey) => r.results[key].map((t) => t.mbps.toFixed(0)).join(', ');
  const peakRss = Math.max(...[...r.results['gateway up'], ...r.results['gateway down']].map((t) => t.peakRssMb));
  const met = (ok: boolean) => (ok ? 'met' : '**NOT met**');
  const ratio = { up: speed('gateway up') / speed('direct up'), down: speed('gateway down') / speed('direct down') };
  const p = (key: ExecKey, q: number) => percentile(r.exec[key], q).toFixed(1);
  const added = {
    full: percentile(r.exec['gateway full'], 50) - percentile(r.exec['direct full'], 50),
    open: percentile(r.exec['gateway open'], 50) - percentile(r.exec['direct open'], 50),
  };
  const cpuPerGiB = (key: TransferKey) => median(r.results[key].map((t) => t.cpuSecondsPerGiB)).toFixed(2);
  const load = (xs: number[]) => xs.map((n) => n.toFixed(2)).join(' / ');
  const args = [
    r.mib !== 1024 ? `--mib ${r.mib}` : '',
    r.rounds !== 3 ? `--rounds ${r.rounds}` : '',
    r.samples !== 20 ? `--samples ${r.samples}` : '',
    values.cipher ? `--cipher ${values.cipher}` : '',
  ].filter(Boolean);
  return `# SSH benchmark

Measured by \`tools/bench/ssh-bench.ts\`; this file is rewritten by each run.

- Date: ${new Date().toISOString()}
- Command: \`flock /tmp/bench.lock npm run bench:ssh${args.length ? ` -- ${args.join(' ')}` : ''}\`
- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Linux, Node ${process.version}; load average (1/5/15 min)
  ${load(r.loadBefore)} before, ${load(r.loadAfter)} after. The machine is shared with other work: every figure
  moves with it, so both routes are measured in the same run, in alternating order.
- Client: Debian's OpenSSH (\`scp\`, \`ssh\`), ed25519 key, ${values.cipher ? `cipher forced to ${values.cipher}` : 'default algorithms'}. Negotiated cipher: direct
  ${r.ciphers.direct}; client → gateway ${r.ciphers.gateway} (the gateway → sshd hop is ssh2's own choice).
- Server: OpenSSH \`sshd\` on loopback with the sandbox runtime's sshd_config essentials (\`@edd/ssh-keys/testing\`);
  **direct** logs in to it as root, **gateway** logs in as \`${CONTAINER}@\` to the gateway's SSH plane
  (\`apps/gateway/src/ssh/bench/ssh-bench-server.ts\`: the real edge and \`startSshPlane\`, its own process),
  which asks compute (an HTTP stand-in in the bench process) and relays to the same sshd with the pinned host key.
- Transfers: \`scp\` (SFTP protocol) of a ${r.mib} MiB file of random bytes, up to \`/dev/null\` and down from the
  file (page cache) to \`/dev/null\`; ${r.rounds} rounds, median reported. Gateway RSS sampled every 50 ms from
  \`/proc/<pid>/status\` during its transfers; gateway CPU is utime + stime of its process.
- Exec: ${r.samples} × ${r.rounds} round trips per route, routes alternating: **full** = a whole \`ssh host true\`
  (key exchange, login — through the gateway also compute's answer, cached for 3 s, and the upstream login —
  exec, exit); **open** = \`ssh -S <ControlMaster socket> host true\` on a logged-in connection (channel open,
  exec, exit status).

## Results

| transfer | direct MiB/s (median) | gateway MiB/s (median) | gateway / direct | each run: direct; gateway | gateway CPU s per GiB |
|---|---:|---:|---:|---|---:|
| scp up ${r.mib} MiB | ${speed('direct up').toFixed(0)} | ${speed('gateway up').toFixed(0)} | ${ratio.up.toFixed(2)} | ${spread('direct up')}; ${spread('gateway up')} | ${cpuPerGiB('gateway up')} |
| scp down ${r.mib} MiB | ${speed('direct down').toFixed(0)} | ${speed('gateway down').toFixed(0)} | ${ratio.down.toFixed(2)} | ${spread('direct down')}; ${spread('gateway down')} | ${cpuPerGiB('gateway down')} |

Gateway RSS: ${r.rssAtRest.toFixed(0)} MB at rest, ${peakRss.toFixed(0)} MB peak during the transfers (sampled),
${r.hwm.toFixed(0)} MB high-water mark of the whole run (VmHWM).

| exec round trip | direct p50 / p90 ms | gateway p50 / p90 ms | added p50 ms |
|---|---:|---:|---:|
| full \`ssh host true\` | ${p('direct full', 50)} / ${p('direct full', 90)} | ${p('gateway full', 50)} / ${p('gateway full', 90)} | ${added.full.toFixed(1)} |
| on an open connection | ${p('direct open', 50)} / ${p('direct open', 90)} | ${p('gateway open', 50)} / ${p('gateway open', 90)} | ${added.open.toFixed(1)} |

## Targets (issue 11)

| target | measured | |
|---|---|---|
| scp through the gateway ≥ ${TARGETS.ratio * 100} % of direct | up ${(ratio.up * 100).toFixed(0)} %, down ${(ratio.down * 100).toFixed(0)} % | ${met(Math.min(ratio.up, ratio.down) >= TARGETS.ratio)} |
| gateway RSS < ${TARGETS.rssMb} MB during the transfers | ${peakRss.toFixed(0)} MB peak (VmHWM ${r.hwm.toFixed(0)} MB) | ${met(Math.max(peakRss, r.hwm) < TARGETS.rssMb)} |
| added p50 of an \`ssh exec true\` round trip < ${TARGETS.addedP50Ms} ms | full ${added.full.toFixed(1)} ms, open connection ${added.open.toFixed(1)} ms | ${met(Math.max(added.full, added.open) < TARGETS.addedP50Ms)} |

One run on a shared two-core machine where client, gateway and sshd compete for the same cores; rerun before
drawing fine conclusions.

## Reading the numbers

The gateway decrypts and re-encrypts every byte (two SSH connections) in JavaScript around node:crypto, so its CPU
per GiB sets its ceiling: at the CPU seconds per GiB above it could not pass about 1024 / that many MiB/s even with a
core to itself, while \`sshd\` and \`scp\` need the same cores. ssh2's optional native crypto binding was
${NATIVE_CRYPTO ? 'built' : 'not built (its per-packet path then creates node:crypto cipher objects for every packet and runs Poly1305 in WebAssembly)'}.
`;
}

async function cleanUp(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  for (const cleanup of cleanups) await cleanup();
  rmSync(work, { recursive: true, force: true });
}

try {
  await main();
} catch (error) {
  process.stderr.write(`ssh bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
