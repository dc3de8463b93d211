import type { Database } from '@edd/db';
import { percentOf, type Snapshot } from '../sources/metric-source';

export type Resolution = 'raw' | '1m' | '5m' | '15m';
export const ROLLUPS: ReadonlyArray<{ resolution: Exclude<Resolution, 'raw'>; seconds: number }> = [
  { resolution: '1m', seconds: 60 },
  { resolution: '5m', seconds: 300 },
  { resolution: '15m', seconds: 900 },
];
export const RAW_RETENTION_MS = 24 * 3600_000;
export const ROLLUP_RETENTION_MS = 30 * 24 * 3600_000;

/** Stores one sample: raw node and pod rows, and the latest snapshot every replica answers from. */
export async function recordSnapshot(db: Database, snapshot: Snapshot): Promise<void> {
  const t = snapshot.collectedAt;
  await db.tx(async (client) => {
    if (snapshot.nodes.length) {
      await client.query(
        `INSERT INTO node_samples (resolution, node, t, cpu_percent, memory_percent, disk_percent)
         SELECT 'raw', n, $1, c, m, d FROM unnest($2::text[], $3::float8[], $4::float8[], $5::float8[]) AS x(n, c, m, d)
         ON CONFLICT DO NOTHING`,
        [
          t,
          snapshot.nodes.map((n) => n.name),
          snapshot.nodes.map((n) => percentOf(n.cpuUsedCores, n.cpuCapacityCores)),
          snapshot.nodes.map((n) => percentOf(n.memoryUsedBytes, n.memoryCapacityBytes)),
          snapshot.nodes.map((n) => percentOf(n.diskUsedBytes, n.diskCapacityBytes)),
        ],
      );
    }
    if (snapshot.pods.length) {
      await client.query(
        `INSERT INTO pod_samples (resolution, namespace, name, t, owner_id, cpu_nanocores, memory_bytes, disk_bytes)
         SELECT 'raw', ns, n, $1, o, c, m, d
         FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[]) AS x(ns, n, o, c, m, d)
         ON CONFLICT DO NOTHING`,
        [
          t,
          snapshot.pods.map((p) => p.namespace),
          snapshot.pods.map((p) => p.name),
          snapshot.pods.map((p) => p.ownerId ?? null),
          snapshot.pods.map((p) => p.cpuUsedNanocores),
          snapshot.pods.map((p) => p.memoryUsedBytes),
          snapshot.pods.map((p) => p.diskUsedBytes),
        ],
      );
    }
    await client.query(
      `INSERT INTO latest_snapshot (id, collected_at, body) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET collected_at = EXCLUDED.collected_at, body = EXCLUDED.body
       WHERE latest_snapshot.collected_at <= EXCLUDED.collected_at`,
      [t, JSON.stringify(snapshot)],
    );
  });
}

export async function readLatestSnapshot(db: Database): Promise<Snapshot | undefined> {
  const { rows } = await db.query<{ body: Snapshot & { collectedAt: string } }>('SELECT body FROM latest_snapshot WHERE id = 1');
  const body = rows[0]?.body;
  return body ? { ...body, collectedAt: new Date(body.collectedAt) } : undefined;
}

/**
 * Averages the raw samples from `since` on into each roll-up's buckets (recomputed, so a partial bucket is updated
 * as samples arrive and running this twice changes nothing).
 */
export async function rollUp(db: Database, since: Date): Promise<void> {
  for (const { resolution, seconds } of ROLLUPS) {
    const interval = `${seconds} seconds`;
    await db.query(
      `INSERT INTO node_samples (resolution, node, t, cpu_percent, memory_percent, disk_percent)
       SELECT $1, node, date_bin($2::interval, t, 'epoch'), avg(cpu_percent), avg(memory_percent), avg(disk_percent)
       FROM node_samples WHERE resolution = 'raw' AND t >= date_bin($2::interval, $3::timestamptz, 'epoch')
       GROUP BY node, date_bin($2::interval, t, 'epoch')
       ON CONFLICT (resolution, node, t) DO UPDATE SET cpu_percent = EXCLUDED.cpu_percent,
         memory_percent = EXCLUDED.memory_percent, disk_percent = EXCLUDED.disk_percent`,
      [resolution, interval, since],
    );
    await db.query(
      `INSERT INTO pod_samples (resolution, namespace, name, t, owner_id, cpu_nanocores, memory_bytes, disk_bytes)
       SELECT $1, namespace, name, date_bin($2::interval, t, 'epoch'), max(owner_id), avg(cpu_nanocores), avg(memory_bytes), avg(disk_bytes)
       FROM pod_samples WHERE resolution = 'raw' AND t >= date_bin($2::interval, $3::timestamptz, 'epoch')
       GROUP BY namespace, name, date_bin($2::interval, t, 'epoch')
       ON CONFLICT (resolution, namespace, name, t) DO UPDATE SET owner_id = EXCLUDED.owner_id,
         cpu_nanocores = EXCLUDED.cpu_nanocores, memory_bytes = EXCLUDED.memory_bytes, disk_bytes = EXCLUDED.disk_bytes`,
      [resolution, interval, since],
    );
  }
}

/** Drops raw samples older than 24 h and roll-ups older than 30 d. */
export async function pruneSamples(db: Database, now: Date): Promise<void> {
  const rawCutoff = new Date(now.getTime() - RAW_RETENTION_MS);
  const rollupCutoff = new Date(now.getTime() - ROLLUP_RETENTION_MS);
  for (const table of ['node_samples', 'pod_samples']) {
    await db.query(`DELETE FROM ${table} WHERE resolution = 'raw' AND t < $1`, [rawCutoff]);
    await db.query(`DELETE FROM ${table} WHERE resolution <> 'raw' AND t < $1`, [rollupCutoff]);
  }
}

export interface SeriesPoint {
  /** Unix milliseconds. */
  t: number;
  cpu: number;
  mem: number;
  disk: number;
}

export interface SeriesQuery {
  start: Date;
  end: Date;
  resolution: Resolution;
}

/** Each node's points in the window, oldest first; `node` narrows it to one. */
export async function readNodeSeries(db: Database, query: SeriesQuery & { node?: string }): Promise<Record<string, SeriesPoint[]>> {
  const { rows } = await db.query<{ node: string; t: Date; cpu: number; mem: number; disk: number }>(
    `SELECT node, t, cpu_percent AS cpu, memory_percent AS mem, disk_percent AS disk FROM node_samples
     WHERE resolution = $1 AND t >= $2 AND t <= $3 AND ($4::text IS NULL OR node = $4) ORDER BY node, t`,
    [query.resolution, query.start, query.end, query.node ?? null],
  );
  return group(rows.map((r) => ({ key: r.node, point: { t: r.t.getTime(), cpu: r.cpu, mem: r.mem, disk: r.disk } })));
}

/** Each pod's points keyed `<namespace>/<name>`; `ownerId` keeps a user's own, `namespace` one namespace. */
export async function readPodSeries(
  db: Database,
  query: SeriesQuery & { ownerId?: string; namespace?: string },
): Promise<Record<string, SeriesPoint[]>> {
  const { rows } = await db.query<{ namespace: string; name: string; t: Date; cpu: number; mem: number; disk: number }>(
    `SELECT namespace, name, t, cpu_nanocores AS cpu, memory_bytes AS mem, disk_bytes AS disk FROM pod_samples
     WHERE resolution = $1 AND t >= $2 AND t <= $3 AND ($4::text IS NULL OR owner_id = $4) AND ($5::text IS NULL OR namespace = $5)
     ORDER BY namespace, name, t`,
    [query.resolution, query.start, query.end, query.ownerId ?? null, query.namespace ?? null],
  );
  return group(rows.map((r) => ({ key: `${r.namespace}/${r.name}`, point: { t: r.t.getTime(), cpu: r.cpu, mem: r.mem, disk: r.disk } })));
}

/** Whether any sample of this node exists (404 otherwise). */
export async function nodeKnown(db: Database, node: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM node_samples WHERE node = $1 LIMIT 1', [node]);
  return (rowCount ?? 0) > 0;
}

/** The owner recorded for a namespace (undefined: never seen; null: the platform's own). */
export async function namespaceOwner(db: Database, namespace: string): Promise<string | null | undefined> {
  const { rows } = await db.query<{ owner_id: string | null }>('SELECT owner_id FROM pod_samples WHERE namespace = $1 LIMIT 1', [
    namespace,
  ]);
  return rows.length ? (rows[0]?.owner_id ?? null) : undefined;
}

function group(entries: Array<{ key: string; point: SeriesPoint }>): Record<string, SeriesPoint[]> {
  const out: Record<string, SeriesPoint[]> = {};
  for (const { key, point } of entries) (out[key] ??= []).push(point);
  return out;
}
