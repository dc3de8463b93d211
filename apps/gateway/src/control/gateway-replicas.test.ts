import { Agent, createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@edd/db/testing';
import { loadGatewayConfig } from '../config';
import { startEdge } from '../edge';
import type { Edge } from '../edge';
import { startControlPlane } from './control-plane';
import type { ControlPlane } from './control-plane';
import { MIGRATIONS_DIR, memoryLogger, waitUntil } from './testing';

const WORKSPACE = fileURLToPath(new URL('../../../../', import.meta.url));
const TOKEN = 'replica-test-admin-token';

async function upstream(name: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => res.end(`${name} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function get(port: number, host: string, path: string, agent: Agent): Promise<{ status: number; body: string; localPort: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path, agent, headers: { host } }, (res) => {
      const localPort = res.socket.localPort ?? 0; // the socket goes back to the agent at 'end'
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, localPort }));
    });
    req.on('error', reject);
    req.end();
  });
}

// Two whole gateways (control plane + edge) on one database, as two replicas behind a load balancer.
describe('gateway replicas', () => {
  let test: Awaited<ReturnType<typeof createTestDatabase>>;
  const replicas: Array<{ control: ControlPlane; edge: Edge }> = [];
  const upstreams: Server[] = [];

  beforeAll(async () => {
    test = await createTestDatabase('gw_replicas');
    const config = loadGatewayConfig({
      DATABASE_URL: test.serverUrl,
      NATS_URL: process.env['NATS_URL'],
      GATEWAY_HTTP_PORT: '0',
      GATEWAY_HTTPS_PORT: '0',
      GATEWAY_SSH_PORT: '0',
      GATEWAY_ADMIN_PORT: '0',
      GATEWAY_ADMIN_TOKEN: TOKEN,
      GATEWAY_ACCESS_LOG: 'false',
      GATEWAY_CACHE_ENABLED: 'false',
      COMPUTE_INTERNAL_URL: 'http://127.0.0.1:9',
    });
    for (let i = 0; i < 2; i++) {
      const logger = memoryLogger();
      const control = await startControlPlane({
        config,
        logger,
        workspaceRoot: WORKSPACE,
        migrationsDir: MIGRATIONS_DIR,
        database: test.database,
      });
      const edge = await startEdge({ config, routes: control.routes, containers: control.containers, metrics: control.metrics, logger });
      replicas.push({ control, edge });
    }
  });
  afterAll(async () => {
    for (const { control, edge } of replicas) {
      await edge.close(1_000);
      await control.close();
    }
    for (const server of upstreams) server.close();
    await test?.drop();
  });

  it('a route added and changed through one replica serves on the other within a second, on a kept-alive connection', async () => {
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const one = await upstream('one');
    const two = await upstream('two');
    upstreams.push(one.server, two.server);
    const admin = await a.control.startAdmin();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const call = (method: string, path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${admin.port}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      const created = await call('POST', '/admin/routes', { host: 'live.test', path_prefix: '/api', target: one.url, strip_prefix: true });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };

      await waitUntil(async () => (await get(b.edge.ports.http, 'live.test', '/api/x?q=1', agent)).body === 'one /x?q=1', 1_000);
      const before = await get(b.edge.ports.http, 'live.test', '/api/x', agent);

      expect((await call('PUT', `/admin/routes/${id}`, { host: 'live.test', path_prefix: '/api', target: two.url })).status).toBe(200);
      await waitUntil(async () => (await get(b.edge.ports.http, 'live.test', '/api/x', agent)).body === 'two /api/x', 1_000);
      const after = await get(b.edge.ports.http, 'live.test', '/api/x', agent);
      expect(after.localPort).toBe(before.localPort); // same client connection: no restart, nothing dropped
    } finally {
      agent.destroy();
      await admin.close();
    }
  });
});
