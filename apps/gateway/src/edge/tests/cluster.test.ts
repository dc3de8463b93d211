import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startUpstream } from './harness';

type Upstream = Awaited<ReturnType<typeof startUpstream>>;

describe('multi-core mode', () => {
  let up: Upstream;
  let primary: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    up = await startUpstream((_req, res) => res.end('ok'));
    primary = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../bench/bench-server.ts', import.meta.url))], {
      env: { ...process.env, BENCH_UPSTREAM: up.url, GATEWAY_HTTP_PORT: '0', GATEWAY_WORKERS: '2', GATEWAY_ACCESS_LOG: 'false' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    port = await new Promise<number>((resolve, reject) => {
      let err = '';
      primary.stderr?.on('data', (c: Buffer) => {
        err += c.toString();
        // Both workers report the same shared port.
        const ready = [...err.matchAll(/edge ready (\d+)/g)];
        if (ready.length === 2) resolve(Number(ready[0]?.[1]));
      });
      primary.on('exit', (code) => reject(new Error(`primary exited ${code}: ${err}`)));
    });
  }, 60_000);
  afterAll(async () => {
    if (primary.exitCode === null) primary.kill('SIGKILL');
    await up.close();
  });

  it('shares the listener between workers and stops them all on SIGTERM', async () => {
    const prefixes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await get(port, 'bench.cloud.localhost', '/');
      expect(res.body).toBe('ok');
      prefixes.add(String(res.headers['x-request-id']).split('-')[0] ?? '');
    }
    expect(prefixes.size).toBe(2); // each worker mints ids with its own random prefix
    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
