import type { EventBus, ReceivedEvent } from '@edd/events';
import { connectTestBus, memoryLogger, randomToken, samplePayload, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueEvent, startOutboxRelay, type OutboxRelay } from '../src/index';
import { count, openOutboxTestDatabase, recordingBus, type OutboxTestDatabase } from './fixture';

let bus: EventBus;
let seen: Array<ReceivedEvent<'notify'>> = [];
let stopSubscription: () => Promise<void>;

beforeAll(async () => {
  bus = await connectTestBus('outbox-relay-test');
  // Every notify published on the shared server from now on; each test filters on its own user id.
  const sub = await bus.subscribe({ types: ['notify'], handler: (event) => void seen.push(event) });
  stopSubscription = () => sub.stop();
});
afterAll(async () => {
  await stopSubscription?.();
  await bus?.close();
  seen = [];
});

const NO_POLL = 3_600_000;

const unsent = async (t: OutboxTestDatabase) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox WHERE sent_at IS NULL')).rows[0]?.n;

describe('outbox relay', () => {
  it('publishes each committed row once, in order, with the row id as the event id, and marks it sent', async () => {
    const t = await openOutboxTestDatabase('outbox_relay');
    const relayBus = recordingBus(bus);
    // No poll to speak of: only NOTIFY at commit can wake the relay.
    const relay = startOutboxRelay({ db: t.db, bus: relayBus, logger: memoryLogger(), pollIntervalMs: NO_POLL });
    try {
      const user = randomToken('u');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        // Two events per transaction: both or neither.
        await t.db.tx(async (client) => {
          ids.push(await enqueueEvent(client, 'notify', { ...samplePayload('notify', user), title: `n${ids.length}` }));
          ids.push(await enqueueEvent(client, 'notify', { ...samplePayload('notify', user), title: `n${ids.length}` }));
        });
      }
      await waitFor(() => seen.filter((e) => e.data.userId === user).length === ids.length);
      await waitFor(async () => (await relay.backlog()) === 0);
      const mine = seen.filter((e) => e.data.userId === user);
      expect(mine.map((e) => e.meta.eventId)).toEqual(ids);
      expect(mine.map((e) => e.data.title)).toEqual(ids.map((_, i) => `n${i}`));
      for (const id of ids) expect(count(relayBus.calls, id)).toBe(1);
      const { rows } = await t.db.query<{ attempts: number }>('SELECT attempts FROM event_outbox WHERE sent_at IS NOT NULL');
      expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1));
    } finally {
      await relay.stop();
      await t.close();
    }
  });

  it('publishes nothing for a rolled-back transaction, and an invalid payload rolls the transaction back', async () => {
    const t = await openOutboxTestDatabase('outbox_rollback');
    const relayBus = recordingBus(bus);
    const relay = startOutboxRelay({ db: t.db, bus: relayBus, logger: memoryLogger() });
    try {
      const user = randomToken('u');
      let rolledBack = '';
      await expect(
        t.db.tx(async (client) => {
          rolledBack = await enqueueEvent(client, 'notify', samplePayload('notify', user));
          throw new Error('the data change failed');
        }),
      ).rejects.toThrow('the data change failed');
      await expect(
        t.db.tx(async (client) => {
          await client.query(`INSERT INTO applied (event_id, n) VALUES ('data', 1)`);
          await enqueueEvent(client, 'notify', { ...samplePayload('notify', user), title: '' });
        }),
      ).rejects.toThrow(/invalid notify payload: title/u);
      await expect(enqueueEvent(t.db, 'notify', samplePayload('notify', 'bad.token'))).rejects.toThrow(/cannot be used in a subject/u);
      expect((await t.db.query('SELECT * FROM applied')).rowCount).toBe(0);

      // A later event goes out; the rolled-back one never does.
      const later = await enqueueEvent(t.db, 'notify', samplePayload('notify', user));
      await waitFor(() => seen.some((e) => e.meta.eventId === later));
      expect(relayBus.calls).toEqual([later]);
      expect(seen.filter((e) => e.data.userId === user).map((e) => e.meta.eventId)).toEqual([later]);
      expect(rolledBack).not.toBe('');
    } finally {
      await relay.stop();
      await t.close();
    }
  });

  it('two relays on one database claim every row once and keep the order of each writer', async () => {
    const t = await openOutboxTestDatabase('outbox_two_relays');
    const buses = [recordingBus(bus), recordingBus(bus)];
    const relays: OutboxRelay[] = buses.map((b) => startOutboxRelay({ db: t.db, bus: b, logger: memoryLogger(), batchSize: 3 }));
    try {
      const user = randomToken('u');
      // Eight writers side by side, each committing five events one after the other.
      const writers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const ids: string[] = [];
          for (let i = 0; i < 5; i++) ids.push(await enqueueEvent(t.db, 'notify', samplePayload('notify', user)));
          return ids;
        }),
      );
      await waitFor(async () => (await unsent(t)) === 0, 20_000);
      const calls = [...buses[0]!.calls, ...buses[1]!.calls];
      expect(calls).toHaveLength(40);
      for (const id of writers.flat()) expect(count(calls, id)).toBe(1);
      // An event committed after another goes out after it, whichever relay sent them. (Transactions that overlap
      // have no order to keep: the later one to commit may hold the lower seq.)
      await waitFor(() => seen.filter((e) => e.data.userId === user).length === 40);
      const published = seen.filter((e) => e.data.userId === user).map((e) => e.meta.eventId);
      for (const ids of writers) expect(published.filter((id) => ids.includes(id))).toEqual(ids);
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await t.close();
    }
  });

  it('keeps events while the bus is down, retries with backoff, then publishes each once, in order', async () => {
    const t = await openOutboxTestDatabase('outbox_outage');
    const relayBus = recordingBus(bus);
    relayBus.down = true;
    const logger = memoryLogger();
    const relay = startOutboxRelay({ db: t.db, bus: relayBus, logger, retryMinMs: 20, retryMaxMs: 100 });
    try {
      const user = randomToken('u');
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(await enqueueEvent(t.db, 'notify', samplePayload('notify', user)));
      await waitFor(() => relayBus.calls.length >= 3);
      expect(await relay.backlog()).toBe(4);
      // Only the oldest row is tried while the bus is down: later ones wait their turn.
      expect(new Set(relayBus.calls)).toEqual(new Set([ids[0]]));
      const { rows } = await t.db.query<{ attempts: number; last_error: string }>(
        'SELECT attempts, last_error FROM event_outbox WHERE id = $1',
        [ids[0]],
      );
      expect(rows[0]?.attempts).toBeGreaterThanOrEqual(2);
      expect(rows[0]?.last_error).toContain('nats unreachable');
      expect(logger.entries.some((e) => e.msg.startsWith('outbox publish failed'))).toBe(true);

      relayBus.down = false;
      await waitFor(() => seen.filter((e) => e.data.userId === user).length === 4);
      await waitFor(async () => (await relay.backlog()) === 0);
      expect(seen.filter((e) => e.data.userId === user).map((e) => e.meta.eventId)).toEqual(ids);
    } finally {
      await relay.stop();
      await t.close();
    }
  });

  it('sets aside a row the bus refuses, without holding back the rows behind it', async () => {
    const t = await openOutboxTestDatabase('outbox_refused');
    const logger = memoryLogger();
    const relay = startOutboxRelay({ db: t.db, bus, logger });
    try {
      const user = randomToken('u');
      // Written around enqueueEvent (as an older schema could have let through).
      await t.db.query(`INSERT INTO event_outbox (id, type, data) VALUES (gen_random_uuid(), 'notify', '{"userId": 42}')`);
      const good = await enqueueEvent(t.db, 'notify', samplePayload('notify', user));
      await waitFor(() => seen.some((e) => e.meta.eventId === good));
      // Seen on NATS before the relay's transaction commits: wait for the row to say so.
      await waitFor(async () => (await relay.backlog()) === 0);
      const { rows } = await t.db.query<{ failed: boolean; sent: boolean }>(
        'SELECT failed_at IS NOT NULL AS failed, sent_at IS NOT NULL AS sent FROM event_outbox ORDER BY seq',
      );
      expect(rows).toEqual([
        { failed: true, sent: false },
        { failed: false, sent: true },
      ]);
      expect(logger.entries.some((e) => e.level === 'error' && e.msg.includes('refused'))).toBe(true);
    } finally {
      await relay.stop();
      await t.close();
    }
  });

  it('listens again after losing its connection, and catches up on what was committed meanwhile', async () => {
    const t = await openOutboxTestDatabase('outbox_listener');
    const relay = startOutboxRelay({ db: t.db, bus, logger: memoryLogger(), pollIntervalMs: NO_POLL });
    const listener = `${t.db.name}-outbox-listener`;
    const listenerPids = async () =>
      (await t.db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [listener])).rows.map(
        (r) => r.pid,
      );
    try {
      await waitFor(async () => (await listenerPids()).length === 1);
      const [first] = await listenerPids();
      await t.db.query('SELECT pg_terminate_backend($1)', [first]);
      // Committed while nobody listens: only the catch-up on reconnection can publish it.
      const missed = await enqueueEvent(t.db, 'notify', samplePayload('notify', randomToken('u')));
      await waitFor(async () => {
        const pids = await listenerPids();
        return pids.length === 1 && pids[0] !== first;
      });
      await waitFor(() => seen.some((e) => e.meta.eventId === missed));
      const later = await enqueueEvent(t.db, 'notify', samplePayload('notify', randomToken('u')));
      await waitFor(() => seen.some((e) => e.meta.eventId === later));
    } finally {
      await relay.stop();
      await t.close();
    }
  });

  it('deletes sent rows once they are older than the retention', async () => {
    const t = await openOutboxTestDatabase('outbox_prune');
    const relay = startOutboxRelay({ db: t.db, bus, logger: memoryLogger(), retentionMs: 0 });
    try {
      const id = await enqueueEvent(t.db, 'notify', samplePayload('notify', randomToken('u')));
      await waitFor(() => seen.some((e) => e.meta.eventId === id));
      await waitFor(async () => (await t.db.query('SELECT 1 FROM event_outbox')).rowCount === 0);
    } finally {
      await relay.stop();
      await t.close();
    }
  });
});
