import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@edd/db';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edd/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminDirectory } from '../src/alerts/admin-directory';
import { pruneSamples, readLatestSnapshot, readNodeSeries, readPodSeries, recordSnapshot, rollUp } from '../src/data/samples';
import { nodeSample, podSample } from './fixtures';

let testDb: MigratedTestDatabase | undefined;
let db: Database;
beforeAll(async () => {
  testDb = await createMigratedTestDatabase('health_samples', new URL('../migrations', import.meta.url));
  db = testDb.db;
});
afterAll(() => testDb?.drop());

const GIB = 1024 ** 3;
const at = (iso: string) => new Date(iso);

describe('samples in health_db', () => {
  it('rolls raw samples up into 1 m / 5 m / 15 m averages, idempotently', async () => {
    // 12:00:00, 12:00:30 (CPU 10 % and 30 %) and 12:01:10 (CPU 50 %).
    for (const [t, cores] of [
      ['2026-01-01T12:00:00Z', 0.2],
      ['2026-01-01T12:00:30Z', 0.6],
      ['2026-01-01T12:01:10Z', 1.0],
    ] as const) {
      await recordSnapshot(db, {
        collectedAt: at(t),
        nodes: [nodeSample({ name: 'r1', cpuUsedCores: cores })],
        pods: [podSample({ namespace: 'compute-x', name: 'p', ownerId: 'U1', memoryUsedBytes: cores * GIB })],
      });
    }
    await rollUp(db, at('2026-01-01T12:00:00Z'));
    await rollUp(db, at('2026-01-01T12:00:00Z'));
    const window = { start: at('2026-01-01T11:00:00Z'), end: at('2026-01-01T13:00:00Z') };
    const minute = await readNodeSeries(db, { ...window, resolution: '1m' });
    expect(minute['r1']?.map((p) => [new Date(p.t).toISOString(), p.cpu])).toEqual([
      ['2026-01-01T12:00:00.000Z', 20],
      ['2026-01-01T12:01:00.000Z', 50],
    ]);
    const five = await readNodeSeries(db, { ...window, resolution: '5m' });
    expect(five['r1']?.map((p) => p.cpu)).toEqual([30]);
    const fifteen = await readPodSeries(db, { ...window, resolution: '15m', ownerId: 'U1' });
    expect(fifteen['compute-x/p']?.[0]?.mem).toBeCloseTo(0.6 * GIB, 0);
    expect(await readPodSeries(db, { ...window, resolution: '15m', ownerId: 'u1' })).toEqual({});
  });

  it('keeps the newest snapshot as the latest, whatever order writes land in', async () => {
    const newest = (await readLatestSnapshot(db))?.collectedAt.toISOString();
    await recordSnapshot(db, { collectedAt: at('2025-06-01T00:00:00Z'), nodes: [nodeSample({ name: 'old' })], pods: [] });
    expect((await readLatestSnapshot(db))?.collectedAt.toISOString()).toBe(newest);
  });

  it('drops raw samples after 24 h and roll-ups after 30 d', async () => {
    const now = at('2026-01-02T13:00:00Z');
    await recordSnapshot(db, { collectedAt: at('2026-01-02T12:59:55Z'), nodes: [nodeSample({ name: 'r1' })], pods: [] });
    await pruneSamples(db, now);
    const all = { start: at('2025-01-01T00:00:00Z'), end: now };
    // The 2026-01-01 raw rows are 25 h old: gone; their roll-ups stay.
    expect((await readNodeSeries(db, { ...all, resolution: 'raw' }))['r1']).toHaveLength(1);
    expect((await readNodeSeries(db, { ...all, resolution: '1m' }))['r1']).toHaveLength(2);
    await pruneSamples(db, at('2026-02-01T12:02:00Z'));
    expect(await readNodeSeries(db, { ...all, resolution: '1m' })).toEqual({});
  });
});

describe('admin directory', () => {
  it('reads the admins from auth’s user list with the service key, and keeps the last good list when auth fails', async () => {
    let fail = false;
    const keys: string[] = [];
    const server = createServer((req, res) => {
      keys.push(String(req.headers['x-service-key']));
      // Auth's service-key routes live under /internal/ (the gateway refuses that prefix).
      if (req.url !== '/internal/users') return void res.writeHead(404).end();
      if (fail) return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify([
          { user_id: 'A1', username: 'root', display_name: 'Root', is_admin: true },
          { user_id: 'u2', username: 'bob', display_name: 'Bob', is_admin: false },
        ]),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const admins = createAdminDirectory({
        authUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        serviceKey: 'svc',
        ttlMs: 0,
      });
      expect(await admins()).toEqual(['A1']);
      fail = true;
      expect(await admins()).toEqual(['A1']);
      expect(keys).toEqual(['svc', 'svc']);
      const neverReached = createAdminDirectory({ authUrl: 'http://127.0.0.1:9', serviceKey: 'svc' });
      await expect(neverReached()).rejects.toThrow();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
