import { fileURLToPath } from 'node:url';
import { bootAndStopOnTestDatabase, bootServiceProcess } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';
import { sandboxAvailability } from './runtime/sandbox/availability';

// The sandbox is this machine's runtime when it runs as root with bubblewrap; elsewhere compute stays up without it.
const sandbox = await sandboxAvailability();

it('creates and migrates its database, reports ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStopOnTestDatabase(fileURLToPath(new URL('./main.ts', import.meta.url)), 'compute');
  if (sandbox.available) {
    expect(result.readiness).toEqual({ status: 'ready', service: 'compute', checks: { postgres: 'ok', nats: 'ok', runtime: 'ok' } });
  } else {
    // Ready all the same: the API answers, and the details say what the runtime lacks.
    expect(result.readiness).toEqual({
      status: 'ready',
      service: 'compute',
      checks: { postgres: 'ok', nats: 'ok', runtime: 'degraded' },
      details: { runtime: expect.stringContaining(`sandbox: ${sandbox.reason}`) },
    });
  }
  expect(result.exitCode).toBe(0);
  expect(result.migrated).toBe(true);
});

it('refuses to start in production with the development service key: exit 1 with the problem named', async () => {
  await expect(
    bootServiceProcess(fileURLToPath(new URL('./main.ts', import.meta.url)), { NODE_ENV: 'production' }, 20_000),
  ).rejects.toThrow(/exited with 1 before listening[\s\S]*SERVICE_API_KEY: must be set in production[\s\S]*COMPUTE_KEY_ENCRYPTION_SECRET/);
});
