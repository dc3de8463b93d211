import { fileURLToPath } from 'node:url';
import { bootAndStopOnTestDatabase } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('creates and migrates its database, reports ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStopOnTestDatabase(fileURLToPath(new URL('./main.ts', import.meta.url)), 'compute');
  expect(result.readiness).toEqual({ status: 'ready', service: 'compute', checks: { postgres: 'ok', nats: 'ok' } });
  expect(result.exitCode).toBe(0);
  expect(result.migrated).toBe(true);
});
