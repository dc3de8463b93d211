import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edd/db/testing';
import type { Database } from '@edd/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyRetention } from '../src/retention';

let testDb: MigratedTestDatabase | undefined;
let db: Database;
beforeAll(async () => {
  testDb = await createMigratedTestDatabase('notifications_retention', new URL('../migrations', import.meta.url));
  db = testDb.db;
});
afterAll(() => testDb?.drop());

async function insert(userId: string, title: string, options: { read?: boolean; ageDays?: number } = {}): Promise<void> {
  await db.query(
    `INSERT INTO notifications (event_id, user_id, title, message, category, source, read, created_at)
     VALUES ($1, $2, $3, '', 'compute', 'test', $4, now() - make_interval(days => $5))`,
    [randomUUID(), userId, title, options.read ?? false, options.ageDays ?? 0],
  );
}

const titles = async (userId: string) =>
  (await db.query<{ title: string }>('SELECT title FROM notifications WHERE user_id = $1 ORDER BY id', [userId])).rows.map((r) => r.title);

it('removes read notifications older than 90 days, keeps unread and recent ones', async () => {
  await insert('u1', 'old read', { read: true, ageDays: 91 });
  await insert('u1', 'old unread', { ageDays: 91 });
  await insert('u1', 'recent read', { read: true, ageDays: 89 });
  const result = await applyRetention(db);
  expect(result.oldRead).toBe(1);
  expect(await titles('u1')).toEqual(['old unread', 'recent read']);
});

it('keeps only the newest notifications of a user past the cap, read or not; other users untouched', async () => {
  for (let i = 0; i < 8; i++) await insert('u2', `n${i}`);
  for (let i = 0; i < 3; i++) await insert('u3', `m${i}`);
  const result = await applyRetention(db, { readMaxAgeDays: 90, maxPerUser: 5, eventIdDays: 8 });
  expect(result.overCap).toBe(3);
  expect(await titles('u2')).toEqual(['n3', 'n4', 'n5', 'n6', 'n7']);
  expect(await titles('u3')).toEqual(['m0', 'm1', 'm2']);
});

it('forgets claimed event ids only after the stream no longer keeps their events', async () => {
  await db.query(
    `INSERT INTO notification_events (event_id, received_at) VALUES ('old', now() - interval '9 days'), ('new', now() - interval '6 days')`,
  );
  const result = await applyRetention(db);
  expect(result.eventIds).toBe(1);
  const { rows } = await db.query<{ event_id: string }>(`SELECT event_id FROM notification_events WHERE event_id IN ('old', 'new')`);
  expect(rows.map((r) => r.event_id)).toEqual(['new']);
});
