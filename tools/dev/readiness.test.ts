import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DevApp } from './apps';
import { descendants, isAlive, terminateAll } from './process-tree';
import { monitorApps, watchReadiness } from './readiness';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** An app whose /readyz answers `status()`. */
async function fakeApp(name: string, status: () => number): Promise<DevApp> {
  const server = createServer((_req, res) => res.writeHead(status()).end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { name, port, subdomain: name, readyUrl: `http://127.0.0.1:${port}/readyz` };
}

describe('watchReadiness', () => {
  it('reports each app once as it turns ready, then resolves true', async () => {
    let authStatus = 503;
    const apps = [await fakeApp('docs', () => 200), await fakeApp('auth', () => authStatus)];
    const seen: string[] = [];
    const watch = watchReadiness({ apps, timeoutMs: 10_000, intervalMs: 50, onReady: (app) => seen.push(app.name) });
    await vi.waitFor(() => expect(seen).toEqual(['docs']), { timeout: 5_000 });
    authStatus = 200;
    expect(await watch.allReady).toBe(true);
    expect(seen).toEqual(['docs', 'auth']);
  });

  it('resolves false at the deadline and keeps watching the stragglers', async () => {
    let status = 503;
    const app = await fakeApp('auth', () => status);
    const seen: string[] = [];
    const watch = watchReadiness({ apps: [app], timeoutMs: 150, intervalMs: 50, onReady: (a) => seen.push(a.name) });
    expect(await watch.allReady).toBe(false);
    status = 200;
    await vi.waitFor(() => expect(seen).toEqual(['auth']), { timeout: 5_000 });
    watch.stop();
  });
});

describe('monitorApps', () => {
  it('reports an app that stops answering (after two misses) and when it is back', async () => {
    let status = 200;
    const app = await fakeApp('gateway', () => status);
    const events: string[] = [];
    const monitor = monitorApps({ apps: [app], intervalMs: 40, onDown: () => events.push('down'), onUp: () => events.push('up') });
    await new Promise((r) => setTimeout(r, 120));
    status = 503;
    await vi.waitFor(() => expect(events).toEqual(['down']), { timeout: 5_000 });
    status = 200;
    await vi.waitFor(() => expect(events).toEqual(['down', 'up']), { timeout: 5_000 });
    monitor.stop();
  });
});

describe('process tree clean-up', () => {
  it('finds grandchildren in sessions of their own and ends them all', async () => {
    // sh -> setsid sleep: the grandchild leaves the group, as Nx's tasks do.
    const parent = spawn('sh', ['-c', 'setsid sleep 60 & sleep 60 & wait'], { stdio: 'ignore' });
    let tree: number[] = [];
    await vi.waitFor(
      async () => {
        tree = await descendants(parent.pid as number);
        expect(tree.length).toBeGreaterThanOrEqual(2);
      },
      { timeout: 5_000 },
    );
    await terminateAll([parent.pid as number, ...tree], 2_000);
    expect([parent.pid as number, ...tree].filter(isAlive)).toEqual([]);
  });
});
