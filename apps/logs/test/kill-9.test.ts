import { waitFor } from '@edd/events/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootLogs, createWorld, keyMetadata, logClient, pushLogs, uniqueSource } from './harness';
import type { LogsWorld, RunningLogs } from './harness';

// The real entry in its own process, killed with SIGKILL while clients keep pushing WARN batches, then started
// again: every entry whose PushLogs call succeeded before the kill must end up in the archive, exactly once.
let world: LogsWorld;
let running: RunningLogs | undefined;

beforeAll(async () => {
  world = await createWorld('kill9');
}, 60_000);

afterAll(async () => {
  await running?.service.stop();
  await world?.dispose();
});

// Batches the killed process had fetched but not acknowledged come back only after the archive consumer's ack wait
// (60 s, libs/events record-stream.ts), counted from their delivery before the kill: the archive check waits that
// long plus room for a loaded machine, which a wait of exactly 60 s from the restart did not always leave.
const REDELIVERY_WAIT_MS = 100_000;

it('loses no acknowledged archived entry when the log service is killed with SIGKILL mid-ingest', { timeout: 240_000 }, async () => {
  running = await bootLogs(world.env);
  const source = uniqueSource('kill9');
  const md = keyMetadata(world.auth.serviceKey);
  const client = logClient(running.grpcAddress);
  const acknowledged = new Set<string>();
  let stop = false;
  let next = 0;

  // Four writers, each one PushLogs call after another (two batches of 50 per call), until the process dies.
  const writer = async () => {
    while (!stop) {
      const ids = Array.from({ length: 100 }, () => `m${next++}`);
      const batches = [ids.slice(0, 50), ids.slice(50)].map((part) => part.map((message) => ({ source, level: 'WARN', message })));
      try {
        await pushLogs(client, batches, md);
        for (const id of ids) acknowledged.add(id);
      } catch {
        // The kill: this call's entries are not acknowledged, so nothing is promised about them.
        return;
      }
    }
  };
  const writers = Array.from({ length: 4 }, writer);
  await waitFor(() => acknowledged.size >= 3_000, 60_000);
  await running.service.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  client.close();
  running = undefined;
  const ackedBeforeKill = [...acknowledged];
  expect(ackedBeforeKill.length).toBeGreaterThanOrEqual(3_000);

  running = await bootLogs(world.env);
  const db = new pg.Client({ connectionString: world.db.url });
  await db.connect();
  try {
    const archived = async () =>
      (
        await db.query<{ message: string; n: number }>(
          'SELECT message, count(*)::int AS n FROM log_entries WHERE source = $1 GROUP BY message',
          [source],
        )
      ).rows;
    await waitFor(
      async () => {
        const have = new Set((await archived()).map((r) => r.message));
        return ackedBeforeKill.every((id) => have.has(id));
      },
      REDELIVERY_WAIT_MS,
      250,
    );
    const rows = await archived();
    // Exactly once: a batch redelivered after the restart inserts nothing twice.
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(ackedBeforeKill.length);
  } finally {
    await db.end();
  }
});
