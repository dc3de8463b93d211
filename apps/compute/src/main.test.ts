import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@edd/db/testing';
import { bootAndStop } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

it('creates and migrates its database, reports ready, and exits cleanly on SIGTERM', async () => {
  const db = await createTestDatabase('compute');
  try {
    const result = await bootAndStop(fileURLToPath(new URL('./main.ts', import.meta.url)), { DATABASE_NAME: db.database });
    expect(result.readiness).toEqual({ status: 'ready', service: 'compute', checks: { postgres: 'ok', nats: 'ok' } });
    expect(result.exitCode).toBe(0);
    expect(result.logs.some((line) => line.includes('"msg":"migrations applied"'))).toBe(true);
  } finally {
    await db.drop();
  }
});
