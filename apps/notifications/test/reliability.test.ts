import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { databaseUrl } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { connectEventBus, notification, type EventBus } from '@edd/events';
import { hasNatsServer, memoryLogger, startPrivateNatsServer, waitFor, type PrivateNatsServer } from '@edd/events/testing';
import { bootServiceProcess, type BootedService } from '@edd/service-runtime/testing';
import pg from 'pg';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * The real entry in its own process on a private nats-server: notifications are published while the service is
 * killed with SIGKILL and started again, and while NATS itself restarts. Afterwards every published event is stored
 * exactly once, and every socket (reconnecting with ?after=<last id> whenever it drops) received each of its user's
 * notifications exactly once. NOTIFICATIONS_RELIABILITY_COUNT sets how many (default 1,000; the issue's 10,000
 * takes about ten times as long).
 */
const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TOTAL = Number(process.env['NOTIFICATIONS_RELIABILITY_COUNT'] ?? 1_000);
const USERS = 20;
const IN_FLIGHT = 50;
const BOOT_TIMEOUT_MS = 150_000;

let nats: PrivateNatsServer;
let db: TestDatabase;
let auth: FakeAuth;
let pool: pg.Pool;
let publisher: EventBus;
let service: BootedService | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  if (!hasNatsServer) return;
  nats = await startPrivateNatsServer();
  db = await createTestDatabase('notifications_reliability');
  auth = await startFakeAuth();
  pool = new pg.Pool({ connectionString: databaseUrl(db.serverUrl, db.database), max: 2 });
  publisher = await connectEventBus({ servers: nats.url, name: 'reliability-publisher', logger: memoryLogger() });
  await publisher.ensureStreams();
  env = { NODE_ENV: 'test', DATABASE_NAME: db.database, NATS_URL: nats.url, AUTH_URL: auth.url, SERVICE_API_KEY: auth.serviceKey };
}, BOOT_TIMEOUT_MS);

afterAll(async () => {
  await service?.kill('SIGKILL').catch(() => undefined);
  await publisher?.close().catch(() => undefined);
  await pool?.end();
  await auth?.close();
  await db?.drop();
  await nats?.dispose();
});

/** A client that keeps one socket open for `token`, reconnecting after any drop with the last id it received. */
class ResumingClient {
  readonly ids: number[] = [];
  private socket: WebSocket | undefined;
  private stopped = false;

  constructor(
    private readonly baseUrl: () => string | undefined,
    private readonly token: string,
  ) {
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const base = this.baseUrl();
    if (!base) return void setTimeout(() => this.connect(), 100);
    // From the start (0) on the first connection, so a socket that opens late still owes its user every notification.
    const after = this.ids.at(-1) ?? 0;
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws/notifications?after=${after}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    this.socket = socket;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; notification?: { id: number } };
      if (frame.type === 'notification' && frame.notification) this.ids.push(frame.notification.id);
    });
    socket.on('error', () => undefined);
    socket.once('close', () => setTimeout(() => this.connect(), 100));
  }

  close(): void {
    this.stopped = true;
    this.socket?.terminate();
  }
}

async function storedCount(): Promise<number> {
  const { rows } = await pool.query<{ c: number }>('SELECT count(*)::int AS c FROM notifications');
  return rows[0]?.c ?? 0;
}

/** Publishes with a fixed event id until NATS acknowledges it (it may be restarting): a publisher's retry. */
async function publishSurely(userId: string, index: number): Promise<string> {
  const eventId = randomUUID();
  for (;;) {
    try {
      await publisher.publish('notify', notification(userId, { title: `n${index}`, message: '', category: 'test' }), { eventId });
      return eventId;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

it.skipIf(!hasNatsServer)(
  `stores ${TOTAL} notifications exactly once and delivers each once per socket through a kill -9 and a NATS restart`,
  { timeout: 900_000 },
  async () => {
    service = await bootServiceProcess(ENTRY, env, BOOT_TIMEOUT_MS);
    let baseUrl: string | undefined = service.baseUrl;
    const users = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const userId = `rel${i}-${randomUUID().slice(0, 8)}`;
        const { token } = await auth.issueSession({ userId, username: userId, isAdmin: false });
        return { userId, token };
      }),
    );
    const clients = users.map((u) => new ResumingClient(() => baseUrl, u.token));

    const published: string[] = [];
    let next = 0;
    const publishing = Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < TOTAL) {
          const index = next++;
          published.push(await publishSurely(users[index % USERS]!.userId, index));
        }
      }),
    );

    const started = Date.now();
    // kill -9 with notifications in flight, then start it again (the sockets reconnect to the new process).
    await waitFor(async () => (await storedCount()) >= TOTAL / 4, 300_000, 50);
    await service.kill('SIGKILL');
    baseUrl = undefined;
    service = await bootServiceProcess(ENTRY, env, BOOT_TIMEOUT_MS);
    baseUrl = service.baseUrl;
    // Then NATS restarts under the running service.
    await waitFor(async () => (await storedCount()) >= TOTAL / 2, 300_000, 50);
    await nats.stop();
    await nats.start();
    await publishing;
    await waitFor(async () => (await storedCount()) >= TOTAL, 300_000, 100);

    const { rows } = await pool.query<{ event_id: string; user_id: string; id: string }>(
      'SELECT event_id, user_id, id FROM notifications ORDER BY id',
    );
    expect(rows.length).toBe(TOTAL);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(published));
    const storedByUser = new Map<string, number[]>();
    for (const row of rows) storedByUser.set(row.user_id, [...(storedByUser.get(row.user_id) ?? []), Number(row.id)]);
    await waitFor(() => clients.every((c, i) => c.ids.length >= (storedByUser.get(users[i]!.userId)?.length ?? 0)), 120_000, 100);
    clients.forEach((c) => c.close());
    for (const [i, client] of clients.entries()) {
      expect(client.ids).toEqual(storedByUser.get(users[i]!.userId));
    }
    console.info(`reliability: ${TOTAL} notifications, ${USERS} sockets, kill -9 and NATS restart: ${Date.now() - started} ms`);
  },
);
