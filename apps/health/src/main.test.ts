import { fileURLToPath } from 'node:url';
import { bootAndStop, bootServiceProcess } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('starts with development defaults, reports ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStop(fileURLToPath(new URL('./main.ts', import.meta.url)), {});
  expect(result.readiness).toEqual({ status: 'ready', service: 'health', checks: { nats: 'ok' } });
  expect(result.exitCode).toBe(0);
});

it('refuses to start in production with the development service key: exit 1 with the problem named', async () => {
  await expect(
    bootServiceProcess(fileURLToPath(new URL('./main.ts', import.meta.url)), { NODE_ENV: 'production' }, 20_000),
  ).rejects.toThrow(/exited with 1 before listening[\s\S]*SERVICE_API_KEY: must be set in production/);
});
