/**
 * Where a proxied request's CPU time goes, by layer, for the gateway edge, its I/O floor, node-pipe and nginx under the
 * same wrk load (50 keep-alive connections): `perf record` samples the proxy process on the cpu-clock event (a
 * timer on the CPU time it uses, so each sample stands for 1/frequency s; it also works in VMs without hardware
 * counters) and each sample is put in the layer its code lives in (perf-layers.ts). µs per request = samples /
 * frequency / requests in the sampled window; over the same window, what it asks of the kernel besides system calls
 * (TCP segments, context switches, page faults: kernel-work.ts). Then `strace -c` counts each proxy's system calls
 * per request under a second load. Used by cpu-layers.ts on its own and by `npm run bench` for its report's profile section.
 *
 * Needs perf (Debian: linux-perf) and wrk; strace (Debian: strace) for the system call counts. The proxies are those
 * gateway-instructions.ts counts (the edge's bench server with access log and metrics on; the blind relays; nginx as
 * one process).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commandLine, freePort, proxies, startBenchUpstream, startProcess } from './instructions';
import { kernelWorkPerRequest, readKernelCounters, type KernelCounters } from './kernel-work';
import { generateLoad } from './load';
import { LAYERS, layerSamples, straceCounts, type LayerRow } from './perf-layers';

const run = promisify(execFile);
const HOST = 'bench.cloud.localhost';

export interface ProfileOptions {
  /** The repository's root (bundles are built under its dist/). */
  cwd: string;
  path: string;
  seconds: number;
  frequency: number;
  progress(line: string): void;
}

/** What is missing for a profile on this machine (perf, wrk), or undefined when it can run. */
export function profileUnavailable(): string | undefined {
  const missing = ['/usr/bin/perf', '/usr/bin/wrk'].filter((binary) => !existsSync(binary));
  return missing.length ? `${missing.join(' and ')} missing (apt-get install linux-perf wrk)` : undefined;
}

/** Profiles each proxy in turn on a quiet machine; one row per proxy. */
export async function profileCpuLayers(options: ProfileOptions): Promise<LayerRow[]> {
  const { cwd, path, seconds, frequency, progress } = options;
  const work = mkdtempSync(join(tmpdir(), 'cpu-layers-'));
  const { port: upstreamPort, process: upstream } = await startBenchUpstream(cwd);
  const rows: LayerRow[] = [];
  try {
    for (const proxy of await proxies(cwd, upstreamPort)) {
      const port = await freePort();
      // --perf-basic-prof: JIT code gets a perf map, so its samples are told apart from unknown code.
      const [command, ...args] = commandLine(proxy, port, ['--perf-basic-prof']);
      const child = await startProcess(command, args, proxy.ready, cwd, proxy.env?.(port) ?? {});
      const pid = child.pid as number;
      try {
        const url = `http://127.0.0.1:${port}${path}`;
        progress(`${proxy.name}: warming up`);
        await generateLoad(url, HOST, 50, 3);
        const data = join(work, `${proxy.name}.data`);
        // The load runs half a second longer on each side than the sampling, so every sample falls under full load.
        const load = generateLoad(url, HOST, 50, seconds + 1);
        await new Promise((r) => setTimeout(r, 500));
        // Counted over the sampling's seconds, alongside perf (whose own start and stop would stretch the window past the load).
        const counting = countKernelWork(pid, seconds);
        await run('perf', [
          'record',
          '-q',
          '-e',
          'cpu-clock',
          '-F',
          String(frequency),
          '-p',
          String(pid),
          '-o',
          data,
          '--',
          'sleep',
          String(seconds),
        ]);
        const counted = await counting;
        const result = await load;
        const requests = result.rps * seconds;
        const kernelWork = kernelWorkPerRequest(counted.before, counted.after, result.rps * counted.seconds);
        const { stdout } = await run('perf', ['report', '-i', data, '--sort', 'dso,sym', '--stdio', '-n', '-g', 'none'], {
          maxBuffer: 64 << 20,
        });
        const samples = layerSamples(stdout);
        const usPerRequest = Object.fromEntries(
          LAYERS.map((layer) => [layer, (samples[layer] / frequency / requests) * 1e6]),
        ) as LayerRow['usPerRequest'];
        const systemCalls = await systemCallsPerRequest(pid, url, seconds, work);
        const row: LayerRow = { proxy: proxy.name, rps: result.rps, usPerRequest, systemCalls, kernelWork };
        rows.push(row);
        progress(`${proxy.name}: ${row.rps.toFixed(0)} req/s, system calls ${systemCalls}`);
      } finally {
        child.kill('SIGTERM');
        rmSync(`/tmp/perf-${pid}.map`, { force: true });
      }
    }
  } finally {
    upstream.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/** The kernel counters of `pid` now and `seconds` later, and the seconds that really passed between the two reads. */
async function countKernelWork(pid: number, seconds: number): Promise<{ before: KernelCounters; after: KernelCounters; seconds: number }> {
  const before = await readKernelCounters(pid);
  const from = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = await readKernelCounters(pid);
  return { before, after, seconds: Number(process.hrtime.bigint() - from) / 1e9 };
}

/**
 * The proxy's system calls per request under the same load, all its threads, by `strace -c` (which slows it several
 * times: the counts per request hold, its CPU figures do not, so it runs after perf, on a load of its own): the
 * total and the calls made at least once per hundred requests. "not counted" without strace.
 */
async function systemCallsPerRequest(pid: number, url: string, seconds: number, work: string): Promise<string> {
  const out = join(work, `strace-${pid}.txt`);
  const tracing = run('strace', ['-c', '-f', '-p', String(pid), '-o', out]).catch(() => undefined);
  // strace has attached once it has stopped every thread once; a moment's wait is enough for a process this size.
  await new Promise((r) => setTimeout(r, 500));
  let result;
  try {
    result = await generateLoad(url, HOST, 50, seconds);
  } finally {
    await run('pkill', ['-INT', '-f', `strace -c -f -p ${pid} `]).catch(() => undefined);
    await tracing;
  }
  if (!existsSync(out)) return 'not counted';
  const counts = straceCounts(readFileSync(out, 'utf8'));
  const requests = result.rps * seconds;
  const per = (n: number): string => (n / requests).toFixed(2);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const main = [...counts].filter(([, n]) => n / requests >= 0.01).sort((a, b) => b[1] - a[1]);
  return `${per(total)} (${main.map(([name, n]) => `${name} ${per(n)}`).join(', ')})`;
}
