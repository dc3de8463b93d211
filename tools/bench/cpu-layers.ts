/**
 * Where a proxied request's CPU time goes, by layer, for the gateway edge, its I/O floor, node-pipe and nginx under the same wrk load
 * (50 keep-alive connections): `perf record` samples the proxy process (cpu-clock, which works in VMs without
 * hardware counters) and each sample is put in the layer its code lives in (perf-layers.ts). µs per request =
 * samples / frequency / requests in the sampled window; libc's system call wrappers are a layer of their own (the
 * user-mode side of each kernel entry, perf-layers.ts). Then `strace -c` counts each proxy's system calls per request
 * under a second load. Complements gateway-instructions.ts (user-space instructions only, repeatable) with the
 * kernel's share and real time; like `npm run bench`, it needs a quiet machine.
 *
 *   flock /tmp/bench.lock npx tsx tools/bench/cpu-layers.ts [--path /1k --seconds 4 --frequency 999]
 *
 * Needs perf (Debian: linux-perf) and wrk; strace (Debian: strace) for the system call counts. The proxies are those gateway-instructions.ts counts (the edge's bench
 * server with access log and metrics on; the blind relays; nginx as one process).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { commandLine, freePort, proxies, startBenchUpstream, startProcess } from './instructions';
import { generateLoad } from './load';
import { LAYERS, layerSamples, straceCounts } from './perf-layers';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    path: { type: 'string', default: '/' },
    seconds: { type: 'string', default: '4' },
    frequency: { type: 'string', default: '999' },
  },
});
const seconds = Number(values.seconds);
const frequency = Number(values.frequency);
const host = 'bench.cloud.localhost';

for (const binary of ['/usr/bin/perf', '/usr/bin/wrk']) {
  if (!existsSync(binary)) {
    process.stderr.write(`${binary} is missing (apt-get install linux-perf wrk)\n`);
    process.exit(2);
  }
}

/**
 * The proxy's system calls per request under the same load, all its threads, by `strace -c` (which slows it several
 * times: the counts per request hold, its CPU figures do not, so it runs after perf, on a load of its own): the
 * total and the calls made at least once per hundred requests. "not counted" without strace.
 */
async function systemCallsPerRequest(pid: number, url: string): Promise<string> {
  const out = join(work, `strace-${pid}.txt`);
  const tracing = run('strace', ['-c', '-f', '-p', String(pid), '-o', out]).catch(() => undefined);
  // strace has attached once it has stopped every thread once; a moment's wait is enough for a process this size.
  await new Promise((r) => setTimeout(r, 500));
  let result;
  try {
    result = await generateLoad(url, host, 50, seconds);
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

const cwd = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'cpu-layers-'));
const { port: upstreamPort, process: upstream } = await startBenchUpstream(cwd);
const rows: string[] = [];
try {
  for (const proxy of await proxies(cwd, upstreamPort)) {
    const port = await freePort();
    // --perf-basic-prof: JIT code gets a perf map, so its samples are told apart from unknown code.
    const [command, ...args] = commandLine(proxy, port, ['--perf-basic-prof']);
    const child = await startProcess(command, args, proxy.ready, cwd, proxy.env?.(port) ?? {});
    try {
      const url = `http://127.0.0.1:${port}${values.path}`;
      process.stdout.write(`${proxy.name}: warming up\n`);
      await generateLoad(url, host, 50, 3);
      const data = join(work, `${proxy.name}.data`);
      // The load runs half a second longer on each side than the sampling, so every sample falls under full load.
      const load = generateLoad(url, host, 50, seconds + 1);
      await new Promise((r) => setTimeout(r, 500));
      await run('perf', ['record', '-q', '-F', String(frequency), '-p', String(child.pid), '-o', data, '--', 'sleep', String(seconds)]);
      const result = await load;
      const requests = result.rps * seconds;
      const { stdout } = await run('perf', ['report', '-i', data, '--sort', 'dso,sym', '--stdio', '-n', '-g', 'none'], {
        maxBuffer: 64 << 20,
      });
      const samples = layerSamples(stdout);
      const us = (n: number): string => ((n / frequency / requests) * 1e6).toFixed(1);
      const total = LAYERS.reduce((sum, layer) => sum + samples[layer], 0);
      const calls = await systemCallsPerRequest(child.pid as number, url);
      rows.push(
        `| ${proxy.name} | ${result.rps.toFixed(0)} | ${us(total)} | ${LAYERS.map((layer) => us(samples[layer])).join(' | ')} | ${calls} |`,
      );
      process.stdout.write(`${proxy.name}: ${result.rps.toFixed(0)} req/s, ${us(total)} µs CPU per request, system calls ${calls}\n`);
    } finally {
      child.kill('SIGTERM');
      rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
    }
  }
} finally {
  upstream.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(
  [
    '',
    `GET ${values.path}, wrk -t1 -c50, ${seconds} s sampled at ${frequency} Hz; µs of CPU per request by layer:`,
    `| proxy | req/s | all | ${LAYERS.join(' | ')} | system calls per request (strace -c) |`,
    `|---|---:|---:|${LAYERS.map(() => '---:').join('|')}|---|`,
    ...rows,
    '',
  ].join('\n'),
);
