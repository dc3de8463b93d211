import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayAdminClient } from './admin-client';
import { runRoutesCli } from './routes';

// A stand-in for the gateway's admin API (its real behaviour is tested in apps/gateway): records requests.
describe('routes CLI', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];
  let reply: { status: number; body: unknown } = { status: 200, body: [] };

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRoutesCli(argv, new GatewayAdminClient(baseUrl, 'tok'), { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err, last: seen.at(-1) };
  };

  it('lists routes as a table', async () => {
    reply = {
      status: 200,
      body: [{ id: 1, host: 'auth.cloud.localhost', path_prefix: '/', target: 'http://127.0.0.1:4001', strip_prefix: false, priority: 0 }],
    };
    const { code, out, last } = await run('list');
    expect(code).toBe(0);
    expect(last).toMatchObject({ method: 'GET', url: '/admin/routes', auth: 'Bearer tok' });
    expect(out[0]).toMatch(/^ID\s+HOST\s+PATH\s+TARGET\s+STRIP\s+PRIORITY$/);
    expect(out[1]).toMatch(/^1\s+auth\.cloud\.localhost\s+\/\s+http:\/\/127\.0\.0\.1:4001\s+no\s+0$/);
  });

  it('adds, updates and removes', async () => {
    reply = {
      status: 201,
      body: { id: 7, host: 'x.test', path_prefix: '/api', target: 'http://127.0.0.1:1', strip_prefix: true, priority: 3 },
    };
    const added = await run('add', 'x.test', '/api', 'http://127.0.0.1:1', '--strip-prefix', '--priority', '3');
    expect(added.code).toBe(0);
    expect(added.last?.method).toBe('POST');
    expect(JSON.parse(added.last?.body ?? '')).toEqual({
      host: 'x.test',
      path_prefix: '/api',
      target: 'http://127.0.0.1:1',
      strip_prefix: true,
      priority: 3,
    });
    expect(added.out).toEqual(['added route 7: x.test/api -> http://127.0.0.1:1']);

    reply = {
      status: 200,
      body: { id: 7, host: 'x.test', path_prefix: '/api', target: 'http://127.0.0.1:2', strip_prefix: false, priority: 0 },
    };
    const updated = await run('update', '7', 'x.test', '/api', 'http://127.0.0.1:2');
    expect(updated.last).toMatchObject({ method: 'PUT', url: '/admin/routes/7' });

    reply = { status: 200, body: { status: 'ok' } };
    const removed = await run('remove', '7');
    expect(removed.last).toMatchObject({ method: 'DELETE', url: '/admin/routes/7' });
    expect(removed.out).toEqual(['removed route 7']);
  });

  it('reports API errors and usage mistakes with distinct exit codes', async () => {
    reply = { status: 400, body: { error: 'target: must use http or https' } };
    expect(await run('add', 'x.test', '/', 'ftp://x')).toMatchObject({ code: 1, err: ['error (400): target: must use http or https'] });
    const before = seen.length;
    expect((await run('remove', 'abc')).code).toBe(2);
    expect((await run('add', 'x.test')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    expect(seen.length).toBe(before);
  });

  it('says when the gateway is not reachable', async () => {
    const out: string[] = [];
    const code = await runRoutesCli(['list'], new GatewayAdminClient('http://127.0.0.1:9', 'tok'), {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    expect(code).toBe(1);
    expect(out[0]).toMatch(/cannot reach the gateway admin API/);
  });
});
