import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, serviceConfigShape } from '@edd/config';
import { createTestDatabase } from '@edd/db/testing';
import { createLogger } from '@edd/logger';
import { createServiceApp } from '@edd/http';
import pg from 'pg';
import { expect, it } from 'vitest';
import { runService } from './run-service';

const quiet = createLogger({ service: 'runtime-test', stream: new Writable({ write: (_c, _e, done) => done() }) });

async function connectionsTo(serverUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

it('closes what it already opened when a later dependency cannot connect', async () => {
  const testDb = await createTestDatabase('runtime_cleanup');
  try {
    // Port 1 refuses connections: Redis fails after the database pool is open.
    const config = loadConfig(serviceConfigShape(0), { PORT: '0', DATABASE_NAME: testDb.database, REDIS_URL: 'redis://127.0.0.1:1' });
    await expect(
      runService({
        name: 'runtime-test',
        config,
        logger: quiet,
        database: { name: testDb.database, migrationsDir: mkdtempSync(join(tmpdir(), 'edd-runtime-')) },
        redis: true,
        buildApp: () => createServiceApp({ service: 'runtime-test', logger: quiet, domain: 'cloud.localhost' }, () => undefined),
      }),
    ).rejects.toThrow();
    expect(await connectionsTo(testDb.serverUrl, testDb.database)).toBe(0);
  } finally {
    await testDb.drop();
  }
});

it('hands startExtras the very app buildApp made, and stops the extras on close', async () => {
  const config = loadConfig(serviceConfigShape(0), { PORT: '0', HOST: '127.0.0.1' });
  const events: string[] = [];
  const running = await runService({
    name: 'runtime-test',
    config,
    logger: quiet,
    buildApp: () => {
      events.push('built');
      const app = createServiceApp({ service: 'runtime-test', logger: quiet, domain: 'cloud.localhost' }, () => undefined);
      return Object.assign(app, { marker: 'made by buildApp' });
    },
    startExtras: async (_deps, app) => {
      events.push(`extras got ${app.marker}`);
      return async () => {
        events.push('extras stopped');
      };
    },
  });
  const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
  expect(health.status).toBe(200);
  await running.close();
  expect(events).toEqual(['built', 'extras got made by buildApp', 'extras stopped']);
});
