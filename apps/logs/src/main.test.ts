import { fileURLToPath } from 'node:url';
import { bootAndStop } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('starts with dev defaults, reports NATS ready, and exits cleanly on SIGTERM', async () => {
  const result = await bootAndStop(fileURLToPath(new URL('./main.ts', import.meta.url)), { GRPC_PORT: '0' });
  expect(result.readiness).toEqual({ status: 'ready', service: 'logs', checks: { nats: 'ok' } });
  expect(result.exitCode).toBe(0);
});
