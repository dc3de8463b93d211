/**
 * Where a proxied request's CPU time goes, by layer, for the gateway edge, its I/O floor, node-pipe and nginx under the
 * same load (cpu-profile.ts says how). Complements gateway-instructions.ts (user-space instructions only, repeatable)
 * with the kernel's share and real time; like `npm run bench`, which prints the same table in its report, it needs a
 * quiet machine.
 *
 *   flock /tmp/bench.lock npx tsx tools/bench/cpu-layers.ts [--path /1k --seconds 4 --frequency 999]
 */
import { parseArgs } from 'node:util';
import { profileCpuLayers, profileUnavailable } from './cpu-profile';
import { layerTable } from './perf-layers';

const { values } = parseArgs({
  options: {
    path: { type: 'string', default: '/' },
    seconds: { type: 'string', default: '4' },
    frequency: { type: 'string', default: '999' },
  },
});
const unavailable = profileUnavailable();
if (unavailable !== undefined) {
  process.stderr.write(`${unavailable}\n`);
  process.exit(2);
}
const seconds = Number(values.seconds);
const frequency = Number(values.frequency);
const rows = await profileCpuLayers({
  cwd: new URL('../..', import.meta.url).pathname,
  path: values.path,
  seconds,
  frequency,
  progress: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(
  [
    '',
    `GET ${values.path}, wrk -t1 -c50, ${seconds} s sampled at ${frequency} Hz; µs of CPU per request by layer:`,
    ...layerTable(rows),
    '',
  ].join('\n'),
);
