/**
 * @edd/logger against pino, same redaction rules, nanoseconds per call of a typical line: a child logger bound to a
 * requestId, `info('request', { method, path, status })`. Both write to the same discarding stream (a /dev/null that
 * costs nothing), and again to /dev/null through pino's own SonicBoom (synchronous), so the figure is the logger's
 * work (redaction, serialisation, write call), not the disk's. Interleaved rounds, median.
 * pino gets our rules through its `formatters.log` hook, which calls @edd/logger's `redact` on the fields, and the
 * message masked the same way (pino's path-based `redact` option cannot express "any key like /token/, at any depth").
 *
 * A third candidate adds the log-service transport (LogTransport, what LOG_SERVICE_URL turns on) to the same logger: its
 * buffer takes every line (nobody listens, and its timer cannot run inside the loop), so the difference from the first
 * row is the transport's whole cost on the caller's path. tools/bench/logs-bench.ts measures the same and writes it to
 * docs/logs-benchmark.md.
 *
 *   npx tsx tools/bench/logger-bench.ts [--calls 300000] [--rounds 7]
 */
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createLogger, LogTransport, redact } from '@edd/logger';
import type { LogFields } from '@edd/logger';
import pino from 'pino';
import { median } from './stats';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '300000' }, rounds: { type: 'string', default: '7' } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);

interface Target {
  write(chunk: string): boolean;
}
const discard = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });
const devNull = (): Target => pino.destination({ dest: '/dev/null', sync: true });

type LogCall = (msg: string, fields: LogFields) => void;

const transport = new LogTransport({
  target: '127.0.0.1:1',
  serviceKey: 'bench',
  maxBuffered: Number.MAX_SAFE_INTEGER,
  report: () => undefined,
});

function edd(stream: Target, shipped = false): LogCall {
  // Each run starts with an empty transport buffer (bench only: the field is private).
  if (shipped) (transport as unknown as { lines: string[] }).lines = [];
  const log = createLogger({ service: 'bench', level: 'info', stream: stream as Writable, transport: shipped ? transport : false }).child({
    requestId: 'a1b2c3d4-0000-4000-8000-000000000000',
  });
  return (msg, fields) => log.info(msg, fields);
}

function pinoWithOurRules(stream: Target): LogCall {
  const log = pino(
    {
      level: 'info',
      base: { service: 'bench' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redact(fields) },
    },
    stream as pino.DestinationStream,
  ).child({ requestId: 'a1b2c3d4-0000-4000-8000-000000000000' });
  return (msg, fields) => log.info(fields, msg);
}

const paths = ['/api/files/report.pdf', '/api/containers/c0ffee', '/api/session', '/api/tokens'];
function run(call: LogCall): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) call('request', { method: 'GET', path: paths[i & 3], status: 200 });
  return Number(process.hrtime.bigint() - started) / CALLS;
}

const candidates: Array<[string, () => LogCall]> = [
  ['@edd/logger  -> discarding Writable', () => edd(discard())],
  ['@edd/logger + LogTransport -> discarding', () => edd(discard(), true)],
  ['pino + redact -> discarding Writable', () => pinoWithOurRules(discard())],
  ['@edd/logger  -> /dev/null (SonicBoom)', () => edd(devNull())],
  ['pino + redact -> /dev/null (SonicBoom)', () => pinoWithOurRules(devNull())],
];
const results = new Map<string, number[]>(candidates.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, make] of candidates) {
    const ns = run(make());
    if (round > 0) results.get(name)?.push(ns); // round 0 warms the JIT
  }
}

console.log(`ns per info() call with 3 fields on a child logger, ${CALLS} calls x ${ROUNDS - 1} measured rounds, node ${process.version}`);
for (const [name, ns] of results)
  console.log(`  ${name.padEnd(40)} ${median(ns).toFixed(0).padStart(6)} ns  (runs: ${ns.map((n) => n.toFixed(0)).join(' ')})`);
const plain = median(results.get('@edd/logger  -> discarding Writable') ?? []);
const shipped = median(results.get('@edd/logger + LogTransport -> discarding') ?? []);
console.log(`  the transport adds ${(shipped - plain).toFixed(0)} ns per call (target: < 5,000 ns)`);
void transport.close();
