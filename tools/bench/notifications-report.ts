import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DeliverySummary } from './notifications-tally';
import { percentileOfSorted } from './stats';
import type { Stage } from './notifications-stages';
import type { WaitShares } from './pg-waits';

export interface NotificationsRun {
  command: string;
  date: string;
  machine: string;
  loadBefore: number[];
  loadAfter: number[];
  rate: number;
  seconds: number;
  warmup: number;
  drain: number;
  users: number;
  replicas: number;
  attempted: number;
  published: number;
  publishFailed: number;
  publishSeconds: number;
  stored: number;
  /** Rows whose notification was stored more than once. */
  storedTwice: number;
  delivery: DeliverySummary;
  /** Measured phase only, ascending, ms. */
  latencies: number[];
  /** Where the time goes (measured phase): see stageBreakdown. */
  stages: Stage[];
  /** CPU of each replica over the measured phase and drain. */
  replicaCpu: Array<{ pid: number; cpuSeconds: number }>;
  benchCpuSeconds: number;
  /**
   * The bench client's event-loop delay over the measured phase and drain, ms: a frame is timed when the loop gets
   * to it, so a busy client adds this much to receipts (the replicas do not cause it).
   */
  clientLoopDelay: { p50: number; p99: number; max: number };
  /** The replicas' GC pauses over the measured phase (see gcPauses). */
  gc: { count: number; atLeast10ms: number };
  /** Where the take-in statements' backends were, sampled over the measured phase (see samplePgWaits). */
  takeInWaits: { samples: number; meanActive: number; shares: WaitShares };
  measuredWall: number;
}

const TARGET_P99_MS = 50;
const ms = (n: number): string => (Number.isNaN(n) ? '–' : n.toFixed(1));
const loads = (l: number[]): string => l.map((v) => v.toFixed(2)).join(' / ');

/** The final table (stdout and the doc share it) and whether the target was met. */
export function renderNotificationsReport(run: NotificationsRun): { table: string; markdown: string; ok: boolean } {
  const d = run.delivery;
  const p = (q: number) => percentileOfSorted(run.latencies, q);
  const p99 = p(99);
  const lossless =
    d.lost === 0 && d.notStored === 0 && d.duplicates === 0 && d.outOfOrder === 0 && run.storedTwice === 0 && run.publishFailed === 0;
  const ok = lossless && p99 < TARGET_P99_MS;
  const closes = Object.entries(d.closes)
    .map(([code, n]) => `${n} × ${code}`)
    .join(', ');
  const met = (good: boolean) => (good ? 'met' : '**NOT met**');
  const rows = [
    '| Measure | Value | Target |',
    '|---|---|---|',
    `| Published | ${run.published} of ${run.attempted} in ${run.publishSeconds.toFixed(1)} s (${run.publishFailed} failed) | ${run.rate}/s |`,
    `| Stored (${run.storedTwice} twice) | ${run.stored} | = published: ${met(run.stored === run.published && run.storedTwice === 0)} |`,
    `| Frames expected / received (${d.sockets} sockets) | ${d.expected} / ${d.got} | |`,
    `| Lost: stored, not received ${run.drain} s after the last publish (+3 s after the store was read) | ${d.lost} (on ${d.socketsWithLoss} sockets) | 0: ${met(d.lost === 0)} |`,
    `| Owed frames of notifications not yet stored at the end (intake behind) | ${d.notStored} | 0: ${met(d.notStored === 0)} |`,
    `| Duplicates | ${d.duplicates} (on ${d.socketsWithDuplicates} sockets) | 0: ${met(d.duplicates === 0)} |`,
    `| Out of id order | ${d.outOfOrder} | 0: ${met(d.outOfOrder === 0)} |`,
    `| Server closes during the run (by code; the bench resumed each with ?after=) | ${closes || 'none'} | none |`,
    `| Publishes that failed (ack timeout) but were stored, so owed | ${d.failedButStored} | |`,
    `| Latency samples (measured phase) | ${run.latencies.length} | |`,
    `| p50 publish → receipt | ${ms(p(50))} ms | |`,
    `| p95 | ${ms(p(95))} ms | |`,
    `| p99 | ${ms(p99)} ms | < ${TARGET_P99_MS} ms: ${met(p99 < TARGET_P99_MS)} |`,
    `| max | ${ms(run.latencies.at(-1) ?? Number.NaN)} ms | |`,
    ...run.replicaCpu.map(
      (r, i) =>
        `| CPU of replica ${i + 1} (measured phase + drain, ${run.measuredWall.toFixed(1)} s) | ${r.cpuSeconds.toFixed(1)} s = ${((100 * r.cpuSeconds) / run.measuredWall).toFixed(0)} % of a core | |`,
    ),
    `| CPU of the bench client (publisher + ${d.sockets} sockets, whole load) | ${run.benchCpuSeconds.toFixed(1)} s | |`,
    `| GC pauses of the replicas (measured phase): all / 10 ms or more | ${run.gc.count} / ${run.gc.atLeast10ms} | |`,
    `| Event-loop delay of the bench client (measured phase + drain): p50 / p99 / max | ${ms(run.clientLoopDelay.p50)} / ${ms(run.clientLoopDelay.p99)} / ${ms(run.clientLoopDelay.max)} ms | |`,
  ];
  const stageRows = [
    '| Stage (measured phase; replicas: histogram estimates) | p50 | p99 |',
    '|---|---:|---:|',
    ...run.stages.map((st) =>
      st.unit === 'ms' ? `| ${st.stage} | ${ms(st.p50)} ms | ${ms(st.p99)} ms |` : `| ${st.stage} | ${ms(st.p50)} | ${ms(st.p99)} |`,
    ),
    `| publish → receipt on the client (all sockets) | ${ms(p(50))} ms | ${ms(p99)} ms |`,
  ];
  const w = run.takeInWaits;
  const waitRows = [
    `Inside PostgreSQL: the take-in statements' backends, sampled every 25 ms over the measured phase (${w.samples} samples,`,
    `${w.meanActive.toFixed(2)} running on average), by wait event (\`CPU\`: running or runnable):`,
    '',
    '| Wait event | Share of their time |',
    '|---|---:|',
    ...w.shares.slice(0, 6).map((x) => `| ${x.wait} | ${(100 * x.share).toFixed(0)} % |`),
  ];
  const worst = d.worst.length
    ? [
        '',
        'Sockets that lost or duplicated (worst first):',
        '',
        '| socket | user | replica | expected | got | lost | not stored | duplicates |',
        '|---:|---|---:|---:|---:|---:|---:|---:|',
        ...d.worst.map(
          (w) =>
            `| ${w.socket} | ${w.userId} | ${w.replica + 1} | ${w.expected} | ${w.got} | ${w.lost} | ${w.notStored} | ${w.duplicates} |`,
        ),
      ]
    : [];
  const table = [
    `Machine: ${run.machine}; load (1/5/15 min) before ${loads(run.loadBefore)}, after ${loads(run.loadAfter)}`,
    '',
    ...rows,
    ...worst,
    '',
    ...stageRows,
    '',
    ...waitRows,
    '',
    `Target (${run.rate}/s, p99 < ${TARGET_P99_MS} ms, none lost): ${ok ? 'met' : 'NOT met'}`,
  ].join('\n');
  const markdown = `# Notifications benchmark

Measured by \`${run.command}\` (tools/bench/notifications-bench.ts) on ${run.date}: ${run.machine}.
Load average (1/5/15 min) before: ${loads(run.loadBefore)}, after: ${loads(run.loadAfter)}.

Setup: ${run.replicas} replicas of the real entry (apps/notifications/src/main.ts, own processes) on a fresh database,
PostgreSQL on the same machine, a private nats-server, ${run.users} users with ${d.sockets} WebSockets (each user has
sockets on both replicas, \`?after=0\`), ${run.rate} notifications/s to random users: ${run.warmup} s warm-up, then
${run.seconds} s measured (the warm-up keeps the replicas' first seconds out: JIT, cold query plans, new pool
connections, in which the intake can fall seconds behind; the target is for a running service). Between the two, publishing
pauses until every warm-up frame has arrived (at most 15 s), then goes on at the rate. Latency: from just before \`bus.publish\` to the frame's arrival at the client (one process,
one clock) over every (notification, socket of its user) pair of the measured phase. Every socket's frames are
checked against what its user was sent over the whole run (lost, duplicated). The client runs on the same machine.

${rows.join('\n')}
${worst.join('\n')}

Where the time goes: the publisher's ack times are exact; the replicas' stages come from their \`/metrics\` histograms
(scraped at the start of the measured phase and after the drain, summed over both replicas, percentiles estimated
within buckets). Stages from "publish" include the ones before them.

${stageRows.join('\n')}

${waitRows.join('\n')}

Target (issue 13, ${run.rate}/s, p99 < ${TARGET_P99_MS} ms, none lost): ${ok ? 'met' : 'NOT met'}.
`;
  return { table, markdown, ok };
}

/**
 * The doc for a new report: the report, then whatever the previous doc holds from its first `## ` heading on. The
 * report has no such heading, so those are the notes written by hand below it (run-to-run comparisons, why a run
 * missed), each dated; a rerun replaces the figures and keeps them.
 */
export function docWithKeptNotes(report: string, previous: string | undefined): string {
  const notes = previous?.match(/^## [\s\S]*/m)?.[0];
  return notes === undefined ? report : `${report.trimEnd()}\n\n${notes.trimEnd()}\n`;
}

export function writeNotificationsDoc(root: string, markdown: string): void {
  const path = `${root}docs/notifications-benchmark.md`;
  writeFileSync(path, docWithKeptNotes(markdown, existsSync(path) ? readFileSync(path, 'utf8') : undefined));
}
