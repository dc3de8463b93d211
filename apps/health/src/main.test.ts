import { fileURLToPath } from 'node:url';
import { bootAndStopOnTestDatabase, bootServiceProcess } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('creates and migrates its database, reports ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStopOnTestDatabase(fileURLToPath(new URL('./main.ts', import.meta.url)), 'health');
  expect(result.readiness).toEqual({ status: 'ready', service: 'health', checks: { postgres: 'ok', nats: 'ok' } });
  expect(result.exitCode).toBe(0);
  expect(result.migrated).toBe(true);
});

it('refuses to start in production with the development service key: exit 1 with the problem named', async () => {
  await expect(
    bootServiceProcess(fileURLToPath(new URL('./main.ts', import.meta.url)), { NODE_ENV: 'production' }, 20_000),
  ).rejects.toThrow(/exited with 1 before listening[\s\S]*SERVICE_API_KEY: must be set in production/);
});
