import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@edd/db';
import { RouteTable, parseRoutesYaml } from '@edd/route-registry';
import { RouteStore } from './route-store';
import { memoryLogger, migratedTestDatabase, waitUntil } from './testing';

const manifest = readFileSync(fileURLToPath(new URL('../../../../manifests/gateway-routes.yaml', import.meta.url)), 'utf8');
const seedRoutes = parseRoutesYaml(manifest, { domain: 'cloud.localhost', env: {} });

describe('RouteStore (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof migratedTestDatabase>>;
  let db: Database;
  const stores: RouteStore[] = [];

  const newStore = async (options: { db?: Database; reloadIntervalMs?: number } = {}) => {
    const table = new RouteTable();
    const store = new RouteStore({
      db: options.db ?? db,
      table,
      logger: memoryLogger(),
      reloadIntervalMs: options.reloadIntervalMs ?? 0, // notifications only, unless a test asks
      reconnectMinMs: 20,
      reconnectMaxMs: 200,
    });
    stores.push(store);
    return { store, table };
  };

  beforeAll(async () => {
    env = await migratedTestDatabase('gw_routes');
    db = env.db;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.stop()));
    await db.query('DELETE FROM static_routes');
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it('seeds the manifest into static_routes and serves it', async () => {
    const { store, table } = await newStore();
    expect(await store.seed(seedRoutes)).toEqual({ inserted: seedRoutes.length, updated: 0 });
    await store.start();
    expect(table.routes).toHaveLength(seedRoutes.length);
    expect(table.match('auth.cloud.localhost:18080', '/api/login')?.route.target).toBe('http://127.0.0.1:4001');
    expect(table.match('health.cloud.localhost', '/logs/x')?.route.target).toBe('http://127.0.0.1:4005');
    expect(table.routes.every((r) => typeof r.id === 'number')).toBe(true);
  });

  it('re-seeding is idempotent, updates changed targets and keeps routes added by admins', async () => {
    const { store, table } = await newStore();
    await store.seed(seedRoutes);
    const admin = await store.repository.create({
      host: 'extra.cloud.localhost',
      pathPrefix: '/',
      target: 'http://127.0.0.1:9999',
      stripPrefix: false,
      priority: 0,
    });
    expect(await store.seed(seedRoutes)).toEqual({ inserted: 0, updated: 0 });
    const changed = seedRoutes.map((r) => (r.host === 'auth.cloud.localhost' ? { ...r, target: 'http://auth-service' } : r));
    expect(await store.seed(changed)).toEqual({ inserted: 0, updated: 1 });
    await store.start();
    expect(table.match('auth.cloud.localhost', '/')?.route.target).toBe('http://auth-service');
    expect(table.match('extra.cloud.localhost', '/')?.route.id).toBe(admin.id);
  });

  it('a change made through another connection reaches a second store within a second (LISTEN/NOTIFY)', async () => {
    const replicaA = await newStore();
    const replicaB = await newStore({ db: await env.open() });
    await replicaA.store.seed(seedRoutes);
    await Promise.all([replicaA.store.start(), replicaB.store.start()]);
    expect(replicaB.table.match('new.cloud.localhost', '/')).toBeUndefined();

    const created = await replicaA.store.repository.create({
      host: 'new.cloud.localhost',
      pathPrefix: '/api',
      target: 'http://127.0.0.1:4321',
      stripPrefix: true,
      priority: 0,
    });
    // The requirement: every replica sees the change within one second.
    await waitUntil(() => replicaB.table.match('new.cloud.localhost', '/api/x')?.upstreamPath === '/x', 1_000);

    await replicaA.store.repository.remove(created.id as number);
    await waitUntil(() => replicaB.table.match('new.cloud.localhost', '/api/x') === undefined, 1_000);
  });

  it('reconnects the LISTEN connection after it is killed and catches up', async () => {
    const { store, table } = await newStore();
    await store.start();
    expect(store.listening).toBe(true);
    await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = 'gateway-routes-listener'`,
    );
    await waitUntil(() => !store.listening, 2_000);
    // Written while the listener is down or reconnecting: the reload after reconnecting must see it.
    await db.query(`INSERT INTO static_routes (host, path_prefix, target) VALUES ('late.test', '/', 'http://127.0.0.1:1')`);
    await waitUntil(() => store.listening && table.match('late.test', '/') !== undefined, 5_000);
    await db.query(`UPDATE static_routes SET target = 'http://127.0.0.1:2' WHERE host = 'late.test'`);
    await waitUntil(() => table.match('late.test', '/')?.route.target === 'http://127.0.0.1:2', 1_000);
  });

  it('the periodic reload heals a table even without notifications', async () => {
    const { store, table } = await newStore({ reloadIntervalMs: 100 });
    await store.start();
    table.replace([]); // simulate a missed notification / drifted table
    await waitUntil(() => table.routes.length === 0);
    await db.query(`INSERT INTO static_routes (host, path_prefix, target) VALUES ('tick.test', '/', 'http://127.0.0.1:1')`);
    await waitUntil(() => table.match('tick.test', '/') !== undefined, 2_000);
  });

  it('skips invalid rows written by hand and keeps serving the others', async () => {
    const { store, table } = await newStore();
    await db.query(
      `INSERT INTO static_routes (host, path_prefix, target) VALUES ('good.test', '/', 'http://127.0.0.1:1'), ('bad host', '/', 'http://x')`,
    );
    await store.start();
    expect(table.routes.map((r) => r.host)).toEqual(['good.test']);
    expect((await store.repository.list()).map((r) => r.host)).toEqual(['good.test', 'bad host']);
  });

  it('concurrent reload calls coalesce into at most one follow-up load', async () => {
    const { store } = await newStore();
    await store.start();
    let loads = 0;
    store.on('reloaded', () => loads++);
    const results = await Promise.all([store.reload(), store.reload(), store.reload(), store.reload()]);
    expect(results).toEqual([true, true, true, true]);
    expect(loads).toBe(2);
  });
});
