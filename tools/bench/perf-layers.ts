/**
 * Sorts the rows of `perf report --sort dso --stdio -n -g none` (one row per binary or code region with its sample
 * count) into the layers a Node proxy's CPU time is spent in.
 */
export const LAYERS = ['kernel', 'V8 and Node (node binary)', 'JIT code (JavaScript, regexps)', 'libc', 'other'] as const;
export type Layer = (typeof LAYERS)[number];

/** Which layer a perf "dso" column belongs to. */
export function layerOf(dso: string): Layer {
  if (dso === '[kernel.kallsyms]' || dso.startsWith('[kernel')) return 'kernel';
  if (dso === 'node' || dso.endsWith('/node')) return 'V8 and Node (node binary)';
  // With --perf-basic-prof perf names JIT code "[JIT] tid N" (or the map file /tmp/perf-N.map on older versions).
  if (dso.startsWith('[JIT]') || /perf-\d+\.map$/.test(dso)) return 'JIT code (JavaScript, regexps)';
  if (/^libc[.-]/.test(dso) || dso.endsWith('/libc.so.6')) return 'libc';
  return 'other';
}

/** Samples per layer from the report's rows ("    51.96%          5417  [kernel.kallsyms]"). */
export function layerSamples(report: string): Record<Layer, number> {
  const samples = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as Record<Layer, number>;
  for (const line of report.split('\n')) {
    const row = /^\s+[\d.]+%\s+(\d+)\s+(.+?)\s*$/.exec(line);
    if (row) samples[layerOf(row[2] as string)] += Number(row[1]);
  }
  return samples;
}
