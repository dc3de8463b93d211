import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { testNatsUrl, waitFor } from '@edd/events/testing';
import { bootAndStopOnTestDatabase, bootServiceProcess } from '@edd/service-runtime/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootLogs, createWorld, keyMetadata, logClient, startLogsInProcess, unary } from '../test/harness';
import type { LogsWorld } from '../test/harness';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
let world: LogsWorld;

beforeAll(async () => {
  world = await createWorld('main');
}, 60_000);
afterAll(async () => world?.dispose());

it('starts, migrates logs_db, reports ready (postgres, NATS, live tier), and exits cleanly on SIGTERM', async () => {
  const { DATABASE_NAME: _, ...env } = world.env;
  // The world's live-tier stream and durable are its own, on the shared server.
  const result = await bootAndStopOnTestDatabase(ENTRY, 'logs_main', { NATS_URL: testNatsUrl, ...env });
  expect(result.readiness).toEqual({ status: 'ready', service: 'logs', checks: { postgres: 'ok', nats: 'ok', logtail: 'ok' } });
  expect(result.migrated).toBe(true);
  expect(result.exitCode).toBe(0);
});

it('refuses to start in production with the development service key: exit 1 with the problem named', async () => {
  await expect(bootServiceProcess(ENTRY, { NODE_ENV: 'production', GRPC_PORT: '0' }, 20_000)).rejects.toThrow(
    /exited with 1 before listening[\s\S]*SERVICE_API_KEY: must be set in production/,
  );
});

it('exits 1 naming the stream when its live-tier stream does not exist', async () => {
  await expect(bootServiceProcess(ENTRY, { ...world.env, LOG_STREAM: 'LOGTEST_MISSING_STREAM' }, 30_000)).rejects.toThrow(
    /exited with 1 before listening[\s\S]*record stream LOGTEST_MISSING_STREAM/,
  );
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

it('ships its own log lines through @edd/logger when LOG_SERVICE_URL points at a log service (here: itself)', async () => {
  const port = await freePort();
  const running = await bootLogs({ ...world.env, GRPC_PORT: String(port), LOG_SERVICE_URL: `127.0.0.1:${port}` });
  const client = logClient(running.grpcAddress);
  try {
    const own = async () =>
      (
        await unary<{ entries: Array<{ message: string }> }>(
          client,
          'GetLogs',
          { source: 'logs', limit: 1000 },
          keyMetadata(world.auth.serviceKey),
        )
      ).entries;
    await waitFor(async () => (await own()).some((e) => e.message === 'grpc listening'), 15_000, 100);
  } finally {
    client.close();
    expect(await running.service.stop()).toBe(0);
  }
});

it('its own shutdown lines (SIGTERM) reach itself before its gRPC port closes', async () => {
  const shutdownLines = async (address: string) => {
    const client = logClient(address);
    try {
      const { entries } = await unary<{ entries: Array<{ message: string }> }>(
        client,
        'GetLogs',
        { source: 'logs', limit: 1000 },
        keyMetadata(world.auth.serviceKey),
      );
      return entries.filter((e) => e.message === 'shutting down').length;
    } finally {
      client.close();
    }
  };
  const port = await freePort();
  // A loaded test machine must not turn a slow drain into a failure (the 2 s default bound is tested in @edd/logger).
  const running = await bootLogs({
    ...world.env,
    GRPC_PORT: String(port),
    LOG_SERVICE_URL: `127.0.0.1:${port}`,
    LOG_DRAIN_TIMEOUT_MS: '20000',
  });
  // Other tests of this file stop a log service shipping to itself on this live tier too: count, do not look for one.
  const before = await shutdownLines(running.grpcAddress);
  expect(await running.service.stop()).toBe(0);
  // That process is gone: a second one on the same live tier answers what the first one stored.
  const reader = await startLogsInProcess(world.env);
  try {
    expect(await shutdownLines(reader.grpcAddress)).toBe(before + 1);
  } finally {
    await reader.service.stop();
  }
}, 120_000);
