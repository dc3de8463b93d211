/**
 * Regression guard for the gateway's per-request cost: instructions per proxied request under callgrind (a count,
 * not a timing: the same on a busy machine) against the committed baseline, with a margin. A change that adds
 * work to every request (a header pass, a closure, a log field) shows here long before a benchmark would.
 * After a deliberate change: `npx tsx tools/bench/gateway-instructions.ts --only gateway --single-threaded --warmup 10000 --requests 2000`
 * (twice: a scavenge more or less in the window moves the count by a few thousand), then update
 * gateway-instructions.baseline.json with the mean (and say why in the commit).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countInstructions, proxies, valgrindAvailable } from './instructions';

interface Baseline {
  node: string;
  perRequest: number;
  margin: number;
  warmup: number;
  requests: number;
  counted: string;
}

const cwd = new URL('../..', import.meta.url).pathname;
const baseline = JSON.parse(readFileSync(new URL('gateway-instructions.baseline.json', import.meta.url), 'utf8')) as Baseline;
const skipReason = !valgrindAvailable()
  ? 'valgrind (callgrind) is not installed'
  : process.version !== baseline.node
    ? `the baseline was counted on Node ${baseline.node}, this is ${process.version}`
    : '';
if (skipReason) process.stderr.write(`gateway-instructions guard skipped: ${skipReason}\n`);

describe.skipIf(skipReason !== '')('gateway instructions per request', () => {
  let upstream: Server;
  beforeAll(async () => {
    // The benchmark's upstream (bench-upstream.ts): 5 bytes, no-store so the response cache stays out of the way.
    upstream = createServer((_req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Type', 'text/plain');
      res.end('hello');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('stays within the margin of the committed baseline', { timeout: 300_000 }, async () => {
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const [gateway] = await proxies(cwd, upstreamPort, true, 'gateway');
    if (gateway === undefined) throw new Error('no gateway proxy defined');
    const count = await countInstructions(gateway, {
      upstreamPort,
      host: 'bench.cloud.localhost',
      path: '/',
      warmup: baseline.warmup,
      requests: baseline.requests,
      connections: 1,
      cwd,
      nodeFlags: ['--single-threaded'],
    });
    const ratio = count.perRequest / baseline.perRequest;
    expect(
      Math.abs(ratio - 1),
      `${Math.round(count.perRequest)} instructions/request vs baseline ${baseline.perRequest} (${ratio.toFixed(3)}×)\n${count.top}`,
    ).toBeLessThanOrEqual(baseline.margin);
  });
});
