/**
 * Notifications benchmark (issue 13, "Speed"): two replicas of the real entry (apps/notifications/src/main.ts, each
 * its own process) on a fresh database and a private nats-server (so their durable and live channel are the
 * bench's own), a fake auth, `--users` users with `--sockets` WebSockets spread so each user has sockets on both
 * replicas, and `--rate` notifications per second to random users: `--warmup` seconds unmeasured, then `--seconds`
 * measured. Latency is publish → receipt on every socket of the user (taken just before `bus.publish` and on the
 * frame's arrival, one clock). Every socket's receipts are checked against what its user was sent (lost, duplicated).
 * Everything is bounded: start-up steps time out, the drain waits at most `--drain` s, and a watchdog ends the run.
 * Prints progress and the report; rewrites docs/notifications-benchmark.md only with --write-docs, keeping the notes
 * written below the report (from its first `## ` heading on). Exit code 0: target met, 2: measured but not met, 1: the
 * bench itself failed. About 1.5 min with the defaults (3.5 min at most).
 *
 *   flock /tmp/bench.lock npm run bench:notifications -- [--rate 1000 --seconds 40 --warmup 5 --users 200 --sockets 500 --write-docs]
 *   --profile <dir>: each replica writes a .cpuprofile there (open in Chrome DevTools).
 *   (NOTIFICATIONS_BENCH_RATE / NOTIFICATIONS_BENCH_SECONDS set the defaults of --rate / --seconds)
 */
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startFakeAuth } from '@edd/auth-client/testing';
import { createTestDatabase } from '@edd/db/testing';
import { connectEventBus, notification } from '@edd/events';
import { memoryLogger, startPrivateNatsServer } from '@edd/events/testing';
import pg from 'pg';
import { WebSocket } from 'ws';
import { startReplica, type Replica } from './bench-replica';
import { renderNotificationsReport, writeNotificationsDoc, type NotificationsRun } from './notifications-report';
import { DeliveryTally } from './notifications-tally';
import { percentileOfSorted } from './stats';
import { gcPauses, stageBreakdown } from './notifications-stages';
import { samplePgWaits, type PgWaitSampler } from './pg-waits';
import { cpuMicros } from './proc-cpu';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: process.env['NOTIFICATIONS_BENCH_RATE'] ?? '1000' },
    seconds: { type: 'string', default: process.env['NOTIFICATIONS_BENCH_SECONDS'] ?? '40' },
    warmup: { type: 'string', default: '5' },
    users: { type: 'string', default: '200' },
    sockets: { type: 'string', default: '500' },
    drain: { type: 'string', default: '15' },
    'write-docs': { type: 'boolean', default: false },
    /** A directory: each replica writes a V8 CPU profile there when it stops (where its CPU goes). */
    profile: { type: 'string' },
  },
});
function positive(name: string, raw: string | undefined, allowZero = false): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new Error(`--${name}: a positive number, got ${raw}`);
  return n;
}
const RATE = positive('rate', values.rate);
const SECONDS = positive('seconds', values.seconds);
const WARMUP = positive('warmup', values.warmup, true);
const USERS = Math.floor(positive('users', values.users));
const SOCKETS = Math.floor(positive('sockets', values.sockets));
const DRAIN_S = positive('drain', values.drain);
const REPLICAS = 2;
const STORED_GRACE_MS = 3000;
/** How long the end of the warm-up may wait for the replicas to deliver every warm-up frame. */
const CATCH_UP_S = 15;
const SETUP_BUDGET_S = 120; // replicas, sessions and sockets; the watchdog adds the load and drain time
const root = new URL('../..', import.meta.url).pathname;
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const clock = (): string => new Date().toISOString().slice(11, 19);
const progress = (msg: string): void => void process.stdout.write(`[bench ${clock()}] ${msg}\n`);

/** Cleanups in reverse order of setup, run once whatever ends the bench (done, error, signal, watchdog). */
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => progress(`cleanup failed: ${String(error)}`));
  })();
  return cleaning;
}

function withTimeout<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function openSocket(url: string, token: string, onFrame: (data: string) => void, onClose: (code: number) => void): Promise<WebSocket> {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  socket.on('message', (data) => onFrame(String(data)));
  const opened = new Promise<WebSocket>((resolve, reject) => {
    socket.once('open', () => {
      socket.on('close', (code) => onClose(code));
      resolve(socket);
    });
    socket.once('error', reject);
  });
  return withTimeout('socket open', 15_000, opened).catch((error: unknown) => {
    socket.terminate();
    throw error;
  });
}

/**
 * A busy machine makes the replica's session check with auth time out (503, "auth unavailable"): a browser would
 * retry, so the bench does too, a few times, and counts it.
 */
let openRetries = 0;
async function openSocketRetrying(...args: Parameters<typeof openSocket>): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSocket(...args);
    } catch (error) {
      if (attempt >= 5) throw error;
      openRetries += 1;
      await sleep(500 * attempt);
    }
  }
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
  const loadBefore = loadavg();
  progress(`machine: ${machine}; load ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}`);
  progress(`rate ${RATE}/s, warm-up ${WARMUP} s, measured ${SECONDS} s, ${USERS} users, ${SOCKETS} sockets, ${REPLICAS} replicas`);

  const nats = await startPrivateNatsServer();
  cleanups.push(() => nats.dispose());
  const db = await createTestDatabase('notifications_bench');
  cleanups.push(() => db.drop());
  const auth = await startFakeAuth();
  cleanups.push(() => auth.close());
  const env = { NODE_ENV: 'test', DATABASE_NAME: db.database, NATS_URL: nats.url, AUTH_URL: auth.url, SERVICE_API_KEY: auth.serviceKey };
  const entry = 'apps/notifications/src/main.ts';
  // One at a time: the first migrates the database.
  const replicas: Replica[] = [];
  for (let i = 0; i < REPLICAS; i++) {
    const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
    const replica = await startReplica(root, entry, env, { nodeArgs });
    cleanups.push(() => replica.stop());
    replicas.push(replica);
  }
  progress(`replicas: ${replicas.map((r) => `${r.url} (pid ${r.pid})`).join(', ')}`);

  const bus = await connectEventBus({ servers: nats.url, name: 'bench', logger: memoryLogger() });
  cleanups.push(() => bus.close());
  await bus.ensureStreams();
  const store = new pg.Client({ connectionString: db.url });
  await store.connect();
  cleanups.push(() => store.end());
  // Its own connection: the progress reports' counts must not wait behind the samples.
  const waitsClient = new pg.Client({ connectionString: db.url });
  await waitsClient.connect();
  cleanups.push(() => waitsClient.end());
  const storedCount = async (): Promise<number> =>
    Number((await store.query<{ n: string }>('SELECT count(*) AS n FROM notifications')).rows[0]?.n ?? 0);

  const users = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const userId = `bench${i}`;
      return { userId, token: (await auth.issueSession({ userId, username: userId, isAdmin: false })).token };
    }),
  );

  const warmupCount = Math.round(RATE * WARMUP);
  const measuredCount = Math.round(RATE * SECONDS);
  const total = warmupCount + measuredCount;
  const tally = new DeliveryTally(total, warmupCount);
  const sockets: WebSocket[] = [];
  cleanups.push(async () => sockets.forEach((s) => s.terminate()));
  let ending = false;
  let reconnects = 0;
  /**
   * Opens socket `id` from `after` (0 at first: every notification of the user is owed to it, even one stored while
   * it connected). A server-side close during the run (a missed ping on a busy machine, a dropped slow client) is
   * recorded and resumed from the newest id it got, as the dashboard does: what it missed must still arrive, once.
   */
  const connect = async (id: number, replicaIndex: number, token: string, after: number): Promise<void> => {
    const replica = replicas[replicaIndex];
    if (!replica) throw new Error('no bench replica');
    const socket = await openSocketRetrying(
      `${replica.url}/ws/notifications?after=${after}`,
      token,
      (data) => {
        const at = now();
        const frame = JSON.parse(data) as { type?: string; notification?: { id?: unknown; title?: unknown } };
        const n = frame.notification;
        if (frame.type === 'notification' && typeof n?.title === 'string' && typeof n.id === 'number')
          tally.received(id, n.id, n.title, at);
      },
      (code) => {
        const socketTally = tally.sockets[id];
        if (ending || !socketTally) return;
        socketTally.closes.push(code);
        reconnects += 1;
        void sleep(250)
          .then(() => connect(id, replicaIndex, token, socketTally.lastId))
          .catch((error: unknown) => progress(`socket ${id} could not reconnect: ${String(error)}`));
      },
    );
    sockets.push(socket);
  };
  // Socket i belongs to user i mod USERS; the replica alternates per round, so each user has sockets on both.
  for (let start = 0; start < SOCKETS; start += 25) {
    const batch = Array.from({ length: Math.min(25, SOCKETS - start) }, async (_, k) => {
      const i = start + k;
      const user = users[i % USERS];
      const replicaIndex = (i + Math.floor(i / USERS)) % REPLICAS;
      if (!user) throw new Error('no bench user');
      await connect(tally.addSocket(user.userId, replicaIndex), replicaIndex, user.token, 0);
    });
    await Promise.all(batch);
  }
  progress(`${SOCKETS} sockets open for ${USERS} users (${openRetries} opens retried)`);

  // Load: a 10 ms tick publishes whatever is due (i-th at i/RATE s), so a slow tick catches up instead of drifting.
  // At most a second's worth of publishes await their acks: past that the publisher waits (the report shows the
  // longer publish time) rather than pile up publishes that time out.
  const maxInFlight = Math.max(100, RATE);
  let publishedOk = 0;
  let publishFailed = 0;
  let inFlight = 0;
  const publishes: Array<Promise<void>> = [];
  /** Publish → JetStream ack of the measured phase, ms: the first stage of the breakdown. */
  const ackLatencies: number[] = [];
  const publish = (i: number): void => {
    const user = users[Math.floor(Math.random() * USERS)];
    if (!user) throw new Error('no bench users');
    const at = now();
    tally.published(i, user.userId, at);
    inFlight += 1;
    const sent = bus.publish('notify', notification(user.userId, { title: `n${i}`, message: '', category: 'bench' }));
    publishes.push(
      sent.then(
        () => {
          publishedOk += 1;
          inFlight -= 1;
          if (i >= warmupCount) ackLatencies.push(now() - at);
        },
        (error: unknown) => {
          publishFailed += 1;
          inFlight -= 1;
          tally.publishFailed(i, user.userId);
          if (publishFailed <= 3) progress(`publish failed: ${String(error)}`);
        },
      ),
    );
  };
  // The replicas' own histograms (intake delays, batch round trips, the live hop), scraped when the measured phase
  // starts and after the drain: their difference is the measured phase's breakdown.
  const scrapeReplicas = async (): Promise<string> => {
    const texts = await Promise.all(
      replicas.map(async (r) => {
        const res = await fetch(`${r.url.replace(/^ws/, 'http')}/metrics`, { headers: { 'x-service-key': auth.serviceKey } });
        return res.ok ? res.text() : '';
      }),
    );
    return texts.join('\n');
  };
  let metricsAtStart: Promise<string> = Promise.resolve('');
  let measuredStart = 0;
  let cpuBefore: number[] = [];
  let cpuAfter: number[] = [];
  let measuredWall = 0;
  // 1 ms resolution: the delays that matter here are a few ms (a frame waits for the client's loop to read it).
  const clientLoop = monitorEventLoopDelay({ resolution: 1 });
  let pgWaits: PgWaitSampler | undefined;
  const benchCpuStart = process.cpuUsage();
  let started = now();
  let next = 0;
  let lastReport = started;
  let lastFrames = 0;
  const reportProgress = async (): Promise<void> => {
    const recent = tally.latencies.slice(-5000).sort((a, b) => a - b);
    progress(
      `published ${publishedOk}/${next} (in flight ${inFlight}, failed ${publishFailed}), stored ${await storedCount()}, ` +
        `reconnects ${reconnects}, ` +
        `frames ${tally.frames} (+${tally.frames - lastFrames}), owed ${tally.outstanding()}, ` +
        `recent p99 ${recent.length ? percentileOfSorted(recent, 99).toFixed(1) : '–'} ms, load ${loadavg()[0]?.toFixed(2)}`,
    );
    lastReport = now();
    lastFrames = tally.frames;
  };
  while (next < total) {
    while (next < total && (next * 1000) / RATE <= now() - started && inFlight < maxInFlight) {
      if (next === warmupCount) {
        if (warmupCount > 0) {
          // Measure a running service, not one still catching up on its warm-up: wait until every warm-up frame
          // arrived (at most CATCH_UP_S), then go on at the rate from here instead of bursting to make up the pause.
          const caughtUpBy = now() + CATCH_UP_S * 1000;
          while (tally.outstanding() > 0 && now() < caughtUpBy) await sleep(20);
          if (tally.outstanding() > 0) progress(`warm-up not caught up after ${CATCH_UP_S} s (${tally.outstanding()} frames owed)`);
          started = now() - (next * 1000) / RATE;
        }
        measuredStart = now();
        clientLoop.enable();
        pgWaits = samplePgWaits(waitsClient, 'take_in_notifications(');
        cpuBefore = replicas.map((r) => cpuMicros(r.pid));
        metricsAtStart = scrapeReplicas().catch(() => '');
        if (warmupCount > 0) progress('warm-up done; measuring');
      }
      publish(next);
      next += 1;
    }
    if (now() - lastReport >= 5000) await reportProgress();
    await sleep(10);
  }
  const publishSeconds = (now() - started) / 1000;
  await withTimeout('publish acks', DRAIN_S * 1000, Promise.all(publishes)).catch((error: unknown) => progress(String(error)));
  const drainUntil = now() + DRAIN_S * 1000;
  progress(`all published; waiting up to ${DRAIN_S} s for the frames still owed`);
  while (tally.outstanding() > 0 && now() < drainUntil) {
    if (now() - lastReport >= 5000) await reportProgress();
    await sleep(50);
  }
  clientLoop.disable();
  const takeInWaits = (await pgWaits?.stop()) ?? { samples: 0, meanActive: 0, shares: [] };
  cpuAfter = replicas.map((r) => cpuMicros(r.pid));
  const metricsAtEnd = await scrapeReplicas().catch(() => '');
  measuredWall = (now() - measuredStart) / 1000;
  const benchCpu = process.cpuUsage(benchCpuStart);
  // What the database holds decides whether a missing frame was lost (stored, never sent) or never stored at all.
  const storedRows = (await store.query<{ title: string }>('SELECT title FROM notifications')).rows;
  const storedSet = new Set(storedRows.map((r) => DeliveryTally.indexOf(r.title)));
  const stored = storedRows.length;
  // The intake may still be storing (it was behind): what it stored just before that snapshot may still be on its
  // way to the sockets, so those get a short grace before a missing frame counts as lost.
  const graceUntil = now() + STORED_GRACE_MS;
  while (tally.summary(storedSet).lost > 0 && now() < graceUntil) await sleep(100);
  ending = true;
  const loadAfter = loadavg();
  progress(
    `load done: ${publishedOk} published in ${publishSeconds.toFixed(1)} s, ${stored} stored, ${tally.outstanding()} frames still owed`,
  );

  const run: NotificationsRun = {
    command: `flock /tmp/bench.lock npm run bench:notifications -- --rate ${RATE} --seconds ${SECONDS} --warmup ${WARMUP} --users ${USERS} --sockets ${SOCKETS}`,
    date: new Date().toISOString().slice(0, 10),
    machine,
    loadBefore,
    loadAfter,
    rate: RATE,
    seconds: SECONDS,
    warmup: WARMUP,
    drain: DRAIN_S,
    users: USERS,
    replicas: REPLICAS,
    attempted: total,
    published: publishedOk,
    publishFailed,
    publishSeconds,
    stored,
    storedTwice: stored - storedSet.size,
    delivery: tally.summary(storedSet),
    latencies: tally.latencies.sort((a, b) => a - b),
    stages: stageBreakdown(
      ackLatencies.sort((a, b) => a - b),
      await metricsAtStart,
      metricsAtEnd,
    ),
    gc: gcPauses(await metricsAtStart, metricsAtEnd),
    takeInWaits,
    replicaCpu: replicas.map((r, i) => ({
      pid: r.pid,
      cpuSeconds: ((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)) / 1e6,
    })),
    benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
    // The histogram holds the intervals between 1 ms samples: the delay is what exceeds the 1 ms.
    clientLoopDelay: {
      p50: Math.max(0, clientLoop.percentile(50) / 1e6 - 1),
      p99: Math.max(0, clientLoop.percentile(99) / 1e6 - 1),
      max: Math.max(0, clientLoop.max / 1e6 - 1),
    },
    measuredWall,
  };
  const report = renderNotificationsReport(run);
  process.stdout.write(`\n${report.table}\n`);
  if (values['write-docs']) {
    writeNotificationsDoc(root, report.markdown);
    progress('wrote docs/notifications-benchmark.md');
  }
  if (!report.ok) process.exitCode = 2;
}

const watchdogS = SETUP_BUDGET_S + WARMUP + SECONDS + 2 * DRAIN_S + STORED_GRACE_MS / 1000 + 30;
const watchdog = setTimeout(() => {
  progress(`watchdog: the bench did not finish within ${watchdogS} s; cleaning up`);
  void cleanUp().finally(() => process.exit(1));
}, watchdogS * 1000);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const startedAt = Date.now();
main()
  .catch((error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanUp();
    clearTimeout(watchdog);
    progress(`done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
    // Nothing the bench opened is left; exit even if a library keeps a timer alive.
    process.exit();
  });
