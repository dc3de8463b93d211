// Reconnection against a private nats-server (started here on its own port and store directory), because
// the shared server must not be restarted. Skipped when nats-server is not on the PATH.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEventBus } from '../src/bus';
import { memoryLogger, randomToken, samplePayload, waitFor } from '../src/testing';

const hasNatsServer = spawnSync('nats-server', ['--version']).status === 0;
const storeDir = mkdtempSync(join(tmpdir(), 'edd-events-nats-'));
let server: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(port: number): Promise<void> {
  const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: 'pipe' });
  server = child;
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => output.includes('Server is ready'), 15_000);
}

async function stopServer(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

afterAll(async () => {
  await stopServer();
  rmSync(storeDir, { recursive: true, force: true });
});

describe.skipIf(!hasNatsServer)('reconnect', () => {
  it('reports the disconnection, reconnects by itself and keeps consuming', async () => {
    const port = await freePort();
    await startServer(port);
    const logger = memoryLogger();
    const bus = await connectEventBus({ servers: `nats://127.0.0.1:${port}`, name: 'events-reconnect-test', logger });
    try {
      await bus.ensureStreams();
      const seen: string[] = [];
      await bus.consume({ durable: 'reconnect_test', types: ['notify'], handler: (e) => void seen.push(e.data.userId) });
      const first = randomToken();
      await bus.publish('notify', samplePayload('notify', first));
      await waitFor(() => seen.includes(first));

      await stopServer();
      await waitFor(() => !bus.isConnected());
      await expect(bus.ping()).rejects.toThrow(/not connected/u);

      await startServer(port);
      await waitFor(() => bus.isConnected(), 20_000);
      await bus.ping();
      const second = randomToken();
      await bus.publish('notify', samplePayload('notify', second));
      await waitFor(() => seen.includes(second), 20_000);
      expect(logger.entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['event bus disconnected', 'event bus reconnected']));
    } finally {
      await bus.close();
    }
    expect(bus.isConnected()).toBe(false);
  }, 60_000);
});
