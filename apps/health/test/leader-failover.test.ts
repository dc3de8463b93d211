import { fileURLToPath } from 'node:url';
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { createTestDatabase, type TestDatabase } from '@edd/db/testing';
import { waitFor } from '@edd/events/testing';
import { bootServiceProcess, type BootedService } from '@edd/service-runtime/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let db: TestDatabase;
let auth: FakeAuth;
let client: pg.Client;
const running: BootedService[] = [];

beforeAll(async () => {
  db = await createTestDatabase('health_leader');
  auth = await startFakeAuth();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  for (const service of running) await service.stop().catch(() => undefined);
  await client?.end();
  await auth?.close();
  await db?.drop();
});

const boot = async () => {
  const service = await bootServiceProcess(MAIN, {
    DATABASE_NAME: db.database,
    AUTH_URL: auth.url,
    SERVICE_API_KEY: auth.serviceKey,
    HEALTH_NODE_NAME: 'failover-node',
    // A port nothing listens on: compute is not part of this test.
    COMPUTE_URL: 'http://127.0.0.1:9',
    HEALTH_SAMPLE_INTERVAL_MS: '500',
    HEALTH_LEADER_RETRY_MS: '1000',
  });
  running.push(service);
  return service;
};
const elected = (service: BootedService) => service.logs.some((line) => line.includes('"msg":"leader: elected"'));
const rawSamples = async () =>
  (await client.query<{ t: Date }>(`SELECT t FROM node_samples WHERE resolution = 'raw' ORDER BY t`)).rows.map((r) => r.t.getTime());

it('two replicas: only one samples; after kill -9 of the leader the other takes over within 15 s', async () => {
  const first = await boot();
  await waitFor(() => elected(first), 15_000);
  const second = await boot();
  await waitFor(async () => (await rawSamples()).length >= 6, 15_000);
  // Two samplers would store about two rows per interval: consecutive samples are an interval apart, never doubled.
  const times = await rawSamples();
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(400);
  expect(elected(second)).toBe(false);

  const killedAt = Date.now();
  await first.kill('SIGKILL');
  await waitFor(() => elected(second), 15_000);
  const before = (await rawSamples()).length;
  await waitFor(async () => (await rawSamples()).length >= before + 2, 15_000);
  const resumed = (await rawSamples()).filter((t) => t > killedAt);
  expect(resumed.length).toBeGreaterThanOrEqual(2);
  // The first sample after the kill came from the new leader within the 15 s budget.
  expect((resumed[0] ?? Infinity) - killedAt).toBeLessThan(15_000);
});
