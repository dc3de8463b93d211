/**
 * Sorts the rows of `perf report --sort dso,sym --stdio -n -g none` (one row per function with its sample count;
 * rows of `--sort dso` alone are read too) into the layers a Node proxy's CPU time is spent in.
 */
export const LAYERS = [
  'kernel',
  'system call stubs (libc)',
  'V8 and Node (node binary)',
  'JIT code (JavaScript, regexps)',
  'libc',
  'other',
] as const;
export type Layer = (typeof LAYERS)[number];

/** One proxy's profile: its request rate under the sampled load, µs of CPU per request by layer, its system calls. */
export interface LayerRow {
  proxy: string;
  rps: number;
  usPerRequest: Record<Layer, number>;
  /** Per request from `strace -c`, as text: the total, then the calls made at least once per hundred requests. */
  systemCalls: string;
  /** Per request over the sampled window, as text: TCP segments (machine-wide), context switches, minor faults. */
  kernelWork: string;
}

/** The rows as a markdown table: req/s, all µs per request, each layer's µs, the system calls, the kernel work. */
export function layerTable(rows: readonly LayerRow[]): string[] {
  const us = (n: number): string => n.toFixed(1);
  return [
    `| proxy | req/s | all | ${LAYERS.join(' | ')} | system calls per request (strace -c) | TCP segments, context switches, minor faults per request |`,
    `|---|---:|---:|${LAYERS.map(() => '---:').join('|')}|---|---|`,
    ...rows.map((row) => {
      const total = LAYERS.reduce((sum, layer) => sum + row.usPerRequest[layer], 0);
      return `| ${row.proxy} | ${row.rps.toFixed(0)} | ${us(total)} | ${LAYERS.map((layer) => us(row.usPerRequest[layer])).join(' | ')} | ${row.systemCalls} | ${row.kernelWork} |`;
    }),
  ];
}

/**
 * libc's wrappers of the system calls a proxy makes per request. Their samples are the user-mode side of entering
 * and leaving the kernel (where the instructions after the `syscall` instruction wait for what the kernel entry
 * flushed): on a paravirtualised guest with page-table isolation that is ~0.5 µs a call, more than the wrapper's
 * own few instructions, so it is told apart from the rest of libc.
 */
const SYSCALL_STUB =
  /^(?:__GI___|__libc_|__)?(?:libc_)?(?:read|readv|write|writev|recv|recvfrom|recvmsg|send|sendto|sendmsg|epoll_pwait|epoll_wait|epoll_ctl|getsockopt|setsockopt|getpid|accept4?|close|shutdown|ioctl)(?:@@?GLIBC_[\d.]+)?$/;

/** Which layer a perf "dso" column (and, with --sort dso,sym, the symbol) belongs to. */
export function layerOf(dso: string, symbol = ''): Layer {
  if (dso === '[kernel.kallsyms]' || dso.startsWith('[kernel')) return 'kernel';
  if (dso === 'node' || dso.endsWith('/node')) return 'V8 and Node (node binary)';
  // With --perf-basic-prof perf names JIT code "[JIT] tid N" (or the map file /tmp/perf-N.map on older versions).
  if (dso.startsWith('[JIT]') || /perf-\d+\.map$/.test(dso)) return 'JIT code (JavaScript, regexps)';
  if (/^libc[.-]/.test(dso) || dso.endsWith('/libc.so.6')) return SYSCALL_STUB.test(symbol) ? 'system call stubs (libc)' : 'libc';
  return 'other';
}

/**
 * Samples per layer from the report's rows: "    51.96%          5417  [kernel.kallsyms]" with --sort dso, or
 * "     2.92%           611  libc.so.6          [.] __GI___libc_write" with --sort dso,sym.
 */
export function layerSamples(report: string): Record<Layer, number> {
  const samples = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as Record<Layer, number>;
  for (const line of report.split('\n')) {
    if (line.startsWith('#')) continue;
    const withSymbol = /^\s+[\d.]+%\s+(\d+)\s+(.+?)\s+\[[.kgusH]\]\s+(.+?)\s*$/.exec(line);
    if (withSymbol) {
      samples[layerOf(withSymbol[2] as string, withSymbol[3] as string)] += Number(withSymbol[1]);
      continue;
    }
    const row = /^\s+[\d.]+%\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (row) samples[layerOf(row[2] as string)] += Number(row[1]);
  }
  return samples;
}

/**
 * System calls by name from the summary `strace -c` prints ("% time  seconds  usecs/call  calls  errors syscall"
 * rows; the errors column may be empty), without its total row.
 */
export function straceCounts(summary: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of summary.split('\n')) {
    const row = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (row && row[2] !== 'total') counts.set(row[2] as string, (counts.get(row[2] as string) ?? 0) + Number(row[1]));
  }
  return counts;
}
