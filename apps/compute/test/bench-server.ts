/**
 * Compute on the sandbox runtime as the compute benchmark (tools/bench/compute-bench.ts) runs it, in a process of its
 * own (so its RSS and CPU are compute's, not the load generator's): the test harness's instance (the real app and
 * reconciler on a fresh test database, a fake auth) on a bridge, subnet and data directory of its own
 * (sandboxTestNetwork: eddt<n>, 10.214.<n>.0/24), never the development instance's eddc0 / 10.213.0.0/16.
 * main.ts cannot be used for this: its sandbox runtime always takes the default bridge.
 *
 * The bench makes and drops the database (BENCH_DATABASE_URL, BENCH_DATABASE), so it goes even if this process dies.
 * Prints JSON lines on stdout: `{"type":"network",…}` as soon as the network is chosen (so the bench can clean up
 * after a crash), then `{"type":"ready",…}`. SIGTERM removes every sandbox, the bridge and the data dir.
 *
 * With `--cleanup` (and BENCH_SANDBOX_DATA_DIR / _BRIDGE / _SUBNET): removes whatever sandboxes a crashed run left there.
 */
import { rm } from 'node:fs/promises';
import { startFakeAuth } from '@edd/auth-client/testing';
import { databaseUrl } from '@edd/db';
import { createSandboxRuntime } from '../src/runtime/sandbox';
import { runCommand } from '../src/runtime/sandbox/run-command';
import { sandboxTestNetwork } from '../src/runtime/sandbox/testing';
import type { ContainerRuntime } from '../src/runtime/container-runtime';
import { startCompute } from './harness';

const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

/** Removes every sandbox the runtime holds (adopting the ones a dead compute left running). */
async function removeAll(runtime: ContainerRuntime): Promise<number> {
  const states = await runtime.list();
  await Promise.all(states.map((state) => runtime.remove(state.id).catch(() => undefined)));
  return states.length;
}

async function cleanupMode(): Promise<void> {
  const dataDir = process.env['BENCH_SANDBOX_DATA_DIR'] ?? '';
  const bridge = process.env['BENCH_SANDBOX_BRIDGE'] ?? '';
  const subnet = process.env['BENCH_SANDBOX_SUBNET'] ?? '';
  if (!dataDir || !/^eddt\d+$/.test(bridge) || !subnet.startsWith('10.214.')) throw new Error('--cleanup needs a test network');
  const runtime = createSandboxRuntime({ dataDir, bridge, subnet });
  const removed = await removeAll(runtime);
  await runtime.close();
  await runCommand('ip', ['link', 'del', bridge]).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
  say({ type: 'cleaned', removed });
}

async function serveMode(): Promise<void> {
  const serverUrl = process.env['BENCH_DATABASE_URL'] ?? '';
  const database = process.env['BENCH_DATABASE'] ?? '';
  if (!serverUrl || !database.startsWith('test_')) throw new Error('BENCH_DATABASE_URL and a test_ BENCH_DATABASE are required');
  // The bench drops it: never this process.
  const testDb = { serverUrl, database, url: databaseUrl(serverUrl, database), drop: async () => undefined };
  const auth = await startFakeAuth();
  const network = await sandboxTestNetwork();
  say({ type: 'network', dataDir: network.dataDir, bridge: network.bridge, subnet: network.subnet });
  const runtime = createSandboxRuntime({ dataDir: network.dataDir, subnet: network.subnet, bridge: network.bridge });
  // The production reconciler's apply budget (5 min), not the harness's 500 ms for its in-memory double.
  const compute = await startCompute('bench', {
    runtime,
    shared: { testDb, auth },
    applyTimeoutMs: 5 * 60_000,
    env: { COMPUTE_MAX_CONTAINERS: process.env['COMPUTE_MAX_CONTAINERS'] ?? '25' },
  });
  const user = await compute.user('bench');
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // The reconciler first, so it does not start what is being removed.
    await compute.close().catch(() => undefined);
    await auth.close().catch(() => undefined);
    await removeAll(runtime).catch(() => undefined);
    await runtime.close().catch(() => undefined);
    await network.cleanup();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  say({ type: 'ready', url: compute.url, token: user.token, serviceKey: compute.auth.serviceKey, pid: process.pid });
}

await (process.argv.includes('--cleanup') ? cleanupMode() : serveMode()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
