import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import { bootServiceProcess } from '@edd/service-runtime/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWorld, keyMetadata, logClient, startLogsInProcess, unary } from './harness';
import type { InProcessLogs, LogsWorld } from './harness';

const CHATTY = fileURLToPath(new URL('./fixtures/chatty-service.ts', import.meta.url));
// More than one transport call carries (4 batches of 500) and than one timer tick sends: only a drain at exit
// gets them all out before the process is gone.
const BURST = 2_500;

let world: LogsWorld;
let running: InProcessLogs;
let client: grpc.Client;

beforeAll(async () => {
  world = await createWorld('drain');
  running = await startLogsInProcess(world.env);
  client = logClient(running.grpcAddress);
}, 90_000);

afterAll(async () => {
  client?.close();
  await running?.service.stop();
  await world?.dispose();
});

it('a service stopped by SIGTERM right after logging still delivers those lines (and its shutdown line) to the log service', async () => {
  const chatty = await bootServiceProcess(CHATTY, {
    NODE_ENV: 'test',
    SERVICE_API_KEY: world.auth.serviceKey,
    LOG_SERVICE_URL: running.grpcAddress,
    // The default 2 s is for production; a loaded test machine must not turn a slow drain into a failure here
    // (the bound itself is tested in @edd/logger).
    LOG_DRAIN_TIMEOUT_MS: '20000',
  });
  const burst = await fetch(`${chatty.baseUrl}/burst?n=${BURST}`, { method: 'POST' });
  expect(await burst.json()).toEqual({ logged: BURST });
  expect(await chatty.stop()).toBe(0);

  // The child exited only after PushLogs answered, and the log service answers once the entries are in the live tier.
  const { entries } = await unary<{ entries: Array<{ message: string }> }>(
    client,
    'GetLogs',
    { source: 'chatty', limit: 1000 },
    keyMetadata(world.auth.serviceKey),
  );
  const messages = entries.map((e) => e.message);
  expect(messages).toContain('shutting down');
  const burstLines = messages.filter((m) => m.startsWith('burst line '));
  // The newest 1,000 entries (GetLogs' most) hold the end of the burst, in order, with none missing.
  expect(burstLines.at(-1)).toBe(`burst line ${BURST - 1}`);
  const first = Number(burstLines[0]?.slice('burst line '.length));
  expect(burstLines).toEqual(Array.from({ length: BURST - first }, (_, k) => `burst line ${first + k}`));
}, 120_000);
