import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteTable } from '@edd/route-registry';
import { startAdminServer } from './admin-server';
import type { AdminServer } from './admin-server';
import { GatewayMetrics } from './metrics';
import { RouteStore } from './route-store';
import { memoryLogger, migratedTestDatabase, waitUntil } from './testing';

const TOKEN = 'test-admin-token-0123456789';

describe('admin server', () => {
  let env: Awaited<ReturnType<typeof migratedTestDatabase>>;
  let store: RouteStore;
  let table: RouteTable;
  let replica: { store: RouteStore; table: RouteTable };
  let admin: AdminServer;
  let disabled: AdminServer;
  let natsUp = true;

  const url = (path: string, server = admin) => `http://127.0.0.1:${server.port}${path}`;
  const call = (method: string, path: string, body?: unknown, token: string | undefined = TOKEN) =>
    fetch(url(path), {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    env = await migratedTestDatabase('gw_admin');
    const logger = memoryLogger();
    table = new RouteTable();
    store = new RouteStore({ db: env.db, table, logger, reloadIntervalMs: 0 });
    await store.start();
    const replicaTable = new RouteTable();
    replica = { table: replicaTable, store: new RouteStore({ db: await env.open(), table: replicaTable, logger, reloadIntervalMs: 0 }) };
    await replica.store.start();
    const metrics = new GatewayMetrics();
    metrics.requestFinished('auth.cloud.localhost/', 200, 0.01);
    const common = {
      host: '127.0.0.1',
      port: 0,
      metrics,
      logger,
      repository: store.repository,
      reload: () => store.reload(),
      activeRoutes: () => table.routes,
      readiness: [
        { name: 'database', check: () => env.db.ping() },
        {
          name: 'nats',
          check: async () => {
            if (!natsUp) throw new Error('disconnected');
          },
        },
      ],
    };
    admin = await startAdminServer({ ...common, token: TOKEN });
    disabled = await startAdminServer({ ...common, token: undefined });
  });
  afterAll(async () => {
    await admin?.close();
    await disabled?.close();
    await store?.stop();
    await replica?.store.stop();
    await env?.cleanup();
  });

  it('answers /healthz and /readyz without authentication', async () => {
    expect((await fetch(url('/healthz'))).status).toBe(200);
    const ready = await fetch(url('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', nats: 'ok' } });
    natsUp = false;
    const down = await fetch(url('/readyz'));
    natsUp = true;
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', nats: 'disconnected' } });
  });

  it('serves Prometheus text on /metrics', async () => {
    const res = await fetch(url('/metrics'));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('gateway_requests_total{route="auth.cloud.localhost/",status="200"} 1');
  });

  it('refuses the admin API with 403 and a clear message when no token is configured', async () => {
    const res = await fetch(url('/admin/routes', disabled), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'admin API disabled: set GATEWAY_ADMIN_TOKEN to enable it', code: 'forbidden' });
  });

  it('answers 401 with a Bearer challenge for a missing, malformed or wrong token', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer']) {
      const res = await fetch(url('/admin/routes'), { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gateway-admin"');
      expect(await res.json()).toEqual({ error: 'missing bearer token', code: 'unauthenticated' });
    }
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`]) {
      const res = await fetch(url('/admin/routes'), { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gateway-admin", error="invalid_token"');
      expect(await res.json()).toEqual({ error: 'invalid bearer token', code: 'invalid_credential' });
    }
    expect((await call('DELETE', '/admin/routes/1', undefined, 'nope')).status).toBe(401);
  });

  it('validates bodies with 400 and a message naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not valid JSON/],
      ['', /must be a JSON object/],
      [[1, 2], /must be a JSON object/],
      [{ host: 'a.test', target: 'http://x' }, /path_prefix/],
      [{ host: 'a.test', path_prefix: '/', target: 'ftp://x' }, /^target: must use http or https$/],
      [{ host: 'a b', path_prefix: '/', target: 'http://x' }, /^host: /],
      [{ host: 'a.test', path_prefix: '/', target: 'http://x', priority: 'high' }, /^priority: /],
      [{ host: 'a.test', path_prefix: '/', target: 'http://x', pathPrefix: '/' }, /pathPrefix/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/admin/routes', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual({ error: expect.stringMatching(message), code: 'invalid_request' });
    }
    const big = await call('POST', '/admin/routes', { host: 'a.test', path_prefix: '/', target: 'http://x', pad: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'request body larger than 65536 bytes', code: 'payload_too_large' });
  });

  it('creates, lists, updates and deletes routes; a second replica follows within a second', async () => {
    const created = await call('POST', '/admin/routes', { host: 'Admin.Test', path_prefix: '/svc/', target: 'http://127.0.0.1:4999' });
    expect(created.status).toBe(201);
    const route = (await created.json()) as { id: number };
    expect(route).toEqual({
      id: expect.any(Number),
      host: 'admin.test',
      path_prefix: '/svc',
      target: 'http://127.0.0.1:4999',
      strip_prefix: false,
      priority: 0,
    });
    expect(created.headers.get('location')).toBe(`/admin/routes/${route.id}`);
    // This replica reloaded before answering; the other one through NOTIFY.
    expect(table.match('admin.test', '/svc/x')?.route.target).toBe('http://127.0.0.1:4999');
    await waitUntil(() => replica.table.match('admin.test', '/svc/x') !== undefined, 1_000);

    const conflict = await call('POST', '/admin/routes', { host: 'admin.test', path_prefix: '/svc', target: 'http://127.0.0.1:1' });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'conflict' });

    const list = (await (await call('GET', '/admin/routes')).json()) as Array<{ id: number }>;
    expect(list.map((r) => r.id)).toContain(route.id);
    const active = (await (await call('GET', '/admin/routes/active')).json()) as Array<{ host: string }>;
    expect(active.map((r) => r.host)).toContain('admin.test');

    const updated = await call('PUT', `/admin/routes/${route.id}`, { ...route, target: 'http://127.0.0.1:5000', strip_prefix: true });
    expect(updated.status).toBe(200);
    await waitUntil(() => replica.table.match('admin.test', '/svc/x')?.upstreamPath === '/x', 1_000);

    for (const path of ['/admin/routes/999999', '/admin/routes/abc']) {
      const missing = await call('PUT', path, { host: 'a.test', path_prefix: '/', target: 'http://x' });
      expect(missing.status, path).toBe(404);
      expect(await missing.json()).toEqual({ error: 'route not found', code: 'not_found' });
    }
    const patch = await call('PATCH', `/admin/routes/${route.id}`, {});
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('PUT, DELETE');
    expect(await patch.json()).toEqual({ error: 'method not allowed', code: 'method_not_allowed' });

    const deleted = await call('DELETE', `/admin/routes/${route.id}`);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ status: 'ok' });
    expect(table.match('admin.test', '/svc')).toBeUndefined();
    await waitUntil(() => replica.table.match('admin.test', '/svc') === undefined, 1_000);
    expect((await call('DELETE', `/admin/routes/${route.id}`)).status).toBe(404);
  });

  it('answers JSON 404 for unknown paths', async () => {
    const res = await fetch(url('/nope'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found', code: 'not_found' });
  });
});
