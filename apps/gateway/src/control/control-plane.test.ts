import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@edd/db/testing';
import { connectTestBus, randomToken, samplePayload } from '@edd/events/testing';
import { loadGatewayConfig } from '../config';
import { startControlPlane } from './control-plane';
import type { ControlPlane } from './control-plane';
import type { AdminServer } from './admin-server';
import { MIGRATIONS_DIR, memoryLogger, waitUntil } from './testing';

const WORKSPACE = fileURLToPath(new URL('../../../../', import.meta.url));
const TOKEN = 'control-plane-test-token';

// The wiring main.ts uses, minus the edge: manifest seeded, admin API live, container events applied.
describe('startControlPlane', () => {
  let test: Awaited<ReturnType<typeof createTestDatabase>>;
  let control: ControlPlane;
  let admin: AdminServer;

  beforeAll(async () => {
    test = await createTestDatabase('gw_control');
    const config = loadGatewayConfig({
      DATABASE_URL: test.serverUrl,
      NATS_URL: process.env['NATS_URL'],
      GATEWAY_ADMIN_PORT: '0',
      GATEWAY_ADMIN_TOKEN: TOKEN,
      COMPUTE_INTERNAL_URL: 'http://127.0.0.1:9',
      EDD_DOMAIN: 'example.test',
    });
    control = await startControlPlane({
      config,
      logger: memoryLogger(),
      workspaceRoot: WORKSPACE,
      migrationsDir: MIGRATIONS_DIR,
      database: test.database,
    });
    admin = await control.startAdmin();
  });
  afterAll(async () => {
    await control?.close();
    await test?.drop();
  });

  it('serves the manifest under EDD_DOMAIN', () => {
    expect(control.routes.match('auth.example.test', '/api/login')?.route.target).toBe('http://127.0.0.1:4001');
    expect(control.routes.match('example.test', '/')?.route.target).toBe('http://127.0.0.1:4000');
  });

  it('answers readiness and applies an admin change', async () => {
    const base = `http://127.0.0.1:${admin.port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const res = await fetch(`${base}/admin/routes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ host: 'new.example.test', path_prefix: '/', target: 'http://127.0.0.1:4999' }),
    });
    expect(res.status).toBe(201);
    expect(control.routes.match('new.example.test', '/')?.route.target).toBe('http://127.0.0.1:4999');
    const scraped = await (await fetch(`${base}/metrics`)).text();
    expect(scraped).toContain('gateway_static_routes 10');
    // No LOG_SERVICE_URL here: the log transport's counters are there, at 0.
    expect(scraped.split('\n')).toContain('log_transport_dropped_total 0');
  });

  it('follows compute.container.* events', async () => {
    const bus = await connectTestBus('gateway-control-plane-test');
    try {
      const id = randomToken('c');
      await bus.publish('compute.container.started', {
        ...samplePayload('compute.container.started', id),
        status: 'running',
        upstreamHost: '127.0.0.1',
        ingress: [{ externalPort: 8123, targetPort: 80, protocol: 'http' }],
      });
      await waitUntil(() => control.containers.lookup(id, 8123) !== undefined);
      expect(control.containers.ports().has(8123)).toBe(true);
    } finally {
      await bus.close();
    }
  });
});
