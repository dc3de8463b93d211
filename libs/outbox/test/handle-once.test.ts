import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleOnce, pruneProcessedEvents } from '../src/index';
import { openOutboxTestDatabase, type OutboxTestDatabase } from './fixture';

let t: OutboxTestDatabase;
beforeAll(async () => {
  t = await openOutboxTestDatabase('outbox_handle_once');
});
afterAll(async () => {
  await t?.close();
});

const event = () => ({ meta: { eventId: randomUUID() } });
const applied = async (eventId: string) =>
  (await t.db.query<{ n: number }>('SELECT n FROM applied WHERE event_id = $1 ORDER BY n', [eventId])).rows.map((r) => r.n);

describe('handleOnce', () => {
  it('applies an event delivered twice once', async () => {
    const e = event();
    const apply = (n: number) => (client: { query(sql: string, params: unknown[]): Promise<unknown> }) =>
      client.query('INSERT INTO applied (event_id, n) VALUES ($1, $2)', [e.meta.eventId, n]).then(() => undefined);
    expect(await handleOnce(t.db, 'billing', e, apply(1))).toBe(true);
    expect(await handleOnce(t.db, 'billing', e, apply(2))).toBe(false);
    expect(await applied(e.meta.eventId)).toEqual([1]);
    // Another consumer keeps its own record of the same event.
    expect(await handleOnce(t.db, 'audit', e, apply(3))).toBe(true);
    expect(await applied(e.meta.eventId)).toEqual([1, 3]);
  });

  it('applies an event delivered to several workers at once once', async () => {
    const e = event();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        handleOnce(t.db, 'billing', e, async (client) => {
          await client.query('INSERT INTO applied (event_id, n) VALUES ($1, $2)', [e.meta.eventId, n]);
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await applied(e.meta.eventId)).toHaveLength(1);
  });

  it('records nothing when the handler fails, so the redelivery applies it', async () => {
    const e = event();
    await expect(
      handleOnce(t.db, 'billing', e, async (client) => {
        await client.query('INSERT INTO applied (event_id, n) VALUES ($1, 1)', [e.meta.eventId]);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await applied(e.meta.eventId)).toEqual([]);
    expect(
      await handleOnce(t.db, 'billing', e, async (client) => {
        await client.query('INSERT INTO applied (event_id, n) VALUES ($1, 2)', [e.meta.eventId]);
      }),
    ).toBe(true);
    expect(await applied(e.meta.eventId)).toEqual([2]);
  });

  it('prunes records older than asked', async () => {
    const e = event();
    await handleOnce(t.db, 'pruned', e, async () => undefined);
    await t.db.query(`UPDATE processed_events SET processed_at = now() - interval '15 days' WHERE event_id = $1`, [e.meta.eventId]);
    expect(await pruneProcessedEvents(t.db, 14 * 24 * 60 * 60 * 1000)).toBe(1);
    expect(await handleOnce(t.db, 'pruned', e, async () => undefined)).toBe(true);
  });
});
