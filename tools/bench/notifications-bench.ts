/**
 * Notifications benchmark (issue 13, "Speed"): two replicas of the real entry (apps/notifications/src/main.ts, each
 * its own process) on a test database and a private nats-server, a fake auth, `--users` (200) users with
 * `--sockets` (500) WebSockets spread over both replicas, and `--rate` (1,000) notifications per second published
 * for `--seconds` (20), each to a random user. Measures publish → receipt on every socket of that user (the time
 * before `bus.publish` to the frame's arrival in this process, one clock), and counts what never arrived.
 * Prints the report and rewrites docs/notifications-benchmark.md (unless --no-write).
 *
 *   flock /tmp/bench.lock npm run bench:notifications [-- --rate 1000 --seconds 20 --users 200 --sockets 500 --no-write]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startFakeAuth } from '@edd/auth-client/testing';
import { createTestDatabase } from '@edd/db/testing';
import { connectEventBus, notification } from '@edd/events';
import { memoryLogger, startPrivateNatsServer } from '@edd/events/testing';
import { WebSocket } from 'ws';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    users: { type: 'string', default: '200' },
    sockets: { type: 'string', default: '500' },
    'no-write': { type: 'boolean', default: false },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const USERS = Number(values.users);
const SOCKETS = Number(values.sockets);
const TARGET_P99_MS = 50;
const root = new URL('../..', import.meta.url).pathname;
const children: ChildProcess[] = [];
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const progress = (msg: string): void => void process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function startReplica(env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/notifications/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const stdout = child.stdout;
  if (!stdout) throw new Error('the replica was spawned without a stdout pipe');
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
    createInterface({ input: stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) resolve(`ws://127.0.0.1:${entry.port}`);
      } catch {
        // not a log line
      }
    });
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const nats = await startPrivateNatsServer();
  const db = await createTestDatabase('notifications_bench');
  const auth = await startFakeAuth();
  try {
    const env = { NODE_ENV: 'test', DATABASE_NAME: db.database, NATS_URL: nats.url, AUTH_URL: auth.url, SERVICE_API_KEY: auth.serviceKey };
    // One replica first (it migrates the database), then the second.
    const replicas = [await startReplica(env)];
    replicas.push(await startReplica(env));
    progress(`replicas at ${replicas.join(', ')}`);
    const bus = await connectEventBus({ servers: nats.url, name: 'bench', logger: memoryLogger() });
    await bus.ensureStreams();

    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const userId = `bench${i}`;
        return { userId, token: (await auth.issueSession({ userId, username: userId, isAdmin: false })).token };
      }),
    );
    const sentAt = new Map<string, number>(); // title -> publish time
    const expected = new Map<string, number>(); // title -> sockets that should receive it
    const socketsOf = new Map<string, number>();
    const latencies: number[] = [];
    let received = 0;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const user = users[i % users.length];
      if (!user) throw new Error('no bench users');
      socketsOf.set(user.userId, (socketsOf.get(user.userId) ?? 0) + 1);
      const socket = new WebSocket(`${replicas[i % 2]}/ws/notifications`, { headers: { authorization: `Bearer ${user.token}` } });
      socket.on('message', (data) => {
        const at = now();
        const frame = JSON.parse(String(data)) as { type: string; notification?: { title: string } };
        if (frame.type !== 'notification' || !frame.notification) return;
        const sent = sentAt.get(frame.notification.title);
        if (sent === undefined) return;
        latencies.push(at - sent);
        received += 1;
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      sockets.push(socket);
    }
    progress(`${SOCKETS} sockets open for ${USERS} users`);

    const total = RATE * SECONDS;
    const started = now();
    const publishes: Array<Promise<unknown>> = [];
    for (let i = 0; i < total; i++) {
      // Paced on the clock: the i-th goes out at i/RATE seconds.
      const due = started + (i * 1000) / RATE;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      const user = users[Math.floor(Math.random() * users.length)];
      if (!user) throw new Error('no bench users');
      const title = `b${i}`;
      expected.set(title, socketsOf.get(user.userId) ?? 0);
      sentAt.set(title, now());
      publishes.push(bus.publish('notify', notification(user.userId, { title, message: '', category: 'bench' })));
    }
    await Promise.all(publishes);
    const publishSeconds = (now() - started) / 1000;
    const owed = [...expected.values()].reduce((a, b) => a + b, 0);
    const deadline = now() + 30_000;
    while (received < owed && now() < deadline) await sleep(100);
    const loadAfter = loadavg();
    latencies.sort((a, b) => a - b);
    const result = {
      notifications: total,
      publishSeconds,
      owed,
      received,
      lost: owed - received,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    };
    progress(JSON.stringify(result));
    sockets.forEach((s) => s.terminate());
    await bus.close();
    if (!values['no-write']) writeReport(result, loadBefore, loadAfter);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(1500);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await auth.close();
    await db.drop().catch(() => undefined);
    await nats.dispose();
  }
}

function writeReport(r: Record<string, number>, before: number[], after: number[]): void {
  const f = (n: number | undefined) => (n === undefined ? '?' : n.toFixed(1));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const doc = `# Notifications benchmark

Measured by \`flock /tmp/bench.lock npm run bench:notifications -- --rate ${RATE} --seconds ${SECONDS} --users ${USERS} --sockets ${SOCKETS}\`
(tools/bench/notifications-bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpu}, shared with other
work. Load average (1/5/15 min) before: ${before.map((l) => l.toFixed(2)).join(' / ')}, after: ${after.map((l) => l.toFixed(2)).join(' / ')}.

Setup: two replicas of the real entry (own processes), PostgreSQL on the same machine, a private nats-server,
${USERS} users with ${SOCKETS} WebSockets spread over both replicas (each user's sockets on both), ${RATE} notifications/s
for ${SECONDS} s to random users. Latency: from just before \`bus.publish\` to the frame's arrival at the client
(same process, one clock), over every (notification, socket of its user) pair.

| Measure | Value | Target |
|---|---|---|
| Notifications published | ${r['notifications']} in ${f(r['publishSeconds'])} s | ${RATE}/s |
| Frames owed / received | ${r['owed']} / ${r['received']} | none lost |
| Lost | ${r['lost']} | 0 |
| p50 publish → receipt | ${f(r['p50'])} ms | |
| p90 | ${f(r['p90'])} ms | |
| p99 | ${f(r['p99'])} ms | < ${TARGET_P99_MS} ms |
| max | ${f(r['max'])} ms | |
`;
  writeFileSync(new URL('../../docs/notifications-benchmark.md', import.meta.url), doc);
  progress('wrote docs/notifications-benchmark.md');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(130);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
