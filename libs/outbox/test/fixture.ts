import { migrate, openDatabase, type Database } from '@edd/db';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import type { EventBus } from '@edd/events';
import { outboxMigrations } from '../src/index';

export interface OutboxTestDatabase {
  db: Database;
  close(): Promise<void>;
}

/** A fresh database with the outbox tables and a `applied` table that test handlers write into. */
export async function openOutboxTestDatabase(prefix: string): Promise<OutboxTestDatabase> {
  const testDb: TestDatabase = await createTestDatabase(prefix);
  const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database, maxConnections: 8 });
  await migrate(db.pool, outboxMigrations);
  await db.query('CREATE TABLE applied (event_id text NOT NULL, n integer NOT NULL)');
  return {
    db,
    async close() {
      await db.close();
      await testDb.drop();
    },
  };
}

/** The real bus, recording the event id of every publish call (and failing them all while `down` is set). */
export function recordingBus(bus: EventBus): EventBus & { calls: string[]; down: boolean } {
  const recording = {
    ...bus,
    calls: [] as string[],
    down: false,
    publish: (async (type, data, options) => {
      recording.calls.push(options?.eventId ?? '');
      if (recording.down) throw new Error('nats unreachable (simulated)');
      return bus.publish(type, data, options);
    }) as EventBus['publish'],
  };
  return recording;
}

export const count = (values: readonly string[], value: string): number => values.filter((v) => v === value).length;
