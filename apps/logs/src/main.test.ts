import { fileURLToPath } from 'node:url';
import { bootAndStopOnTestDatabase, bootServiceProcess } from '@edd/service-runtime/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorld } from '../test/harness';
import type { LogsWorld } from '../test/harness';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
let world: LogsWorld;

beforeAll(async () => {
  world = await createWorld('main');
}, 60_000);
afterAll(async () => world?.dispose());

it('starts, migrates logs_db, reports ready (postgres, NATS, live tier), and exits cleanly on SIGTERM', async () => {
  const { DATABASE_NAME: _, ...env } = world.env;
  const result = await bootAndStopOnTestDatabase(ENTRY, 'logs_main', env);
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
