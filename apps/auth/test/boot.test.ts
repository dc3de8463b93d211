import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@edd/db';
import { createTestDatabase } from '@edd/db/testing';
import { bootAndStop, bootServiceProcess } from '@edd/service-runtime/testing';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

it('starts from main.ts in development: migrates, seeds the default admin, prints the login hint, stops on SIGTERM', async () => {
  const testDb = await createTestDatabase('auth_boot');
  try {
    const result = await bootAndStop(entry, {
      NODE_ENV: 'development',
      DATABASE_NAME: testDb.database,
      REDIS_KEY_PREFIX: `test:auth:boot:${randomBytes(6).toString('hex')}:`,
      DEFAULT_PASSWORD: '',
      SERVICE_API_KEY: '',
    });
    expect(result.readiness).toEqual({ status: 'ready', service: 'auth', checks: { postgres: 'ok', nats: 'ok', redis: 'ok' } });
    expect(result.exitCode).toBe(0);
    const logs = result.logs.join('\n');
    expect(logs).toContain(
      'created the default admin user: log in at http://cloud.localhost:18080 as \\"admin\\" with password the development default',
    );
    // Log lines end up in files and in the log service: no password, not even the development default.
    expect(logs).not.toContain('edd-cloud-dev');
    expect(logs).toContain('SERVICE_API_KEY is not set: using the development default');
    // The runtime applied the outbox's tables with auth's own, and the seeded admin's event went into the outbox.
    const db = await openDatabase({ serverUrl: testDb.serverUrl, database: testDb.database });
    try {
      expect((await db.query<{ type: string }>('SELECT type FROM event_outbox')).rows).toEqual([{ type: 'auth.user.created' }]);
    } finally {
      await db.close();
    }
  } finally {
    await testDb.drop();
  }
});

it('refuses to start in production without SERVICE_API_KEY: exit 1 with the problem named', async () => {
  await expect(bootServiceProcess(entry, { NODE_ENV: 'production', SERVICE_API_KEY: '' }, 20_000)).rejects.toThrow(
    /exited with 1 before listening[\s\S]*SERVICE_API_KEY: must be set in production/,
  );
});
