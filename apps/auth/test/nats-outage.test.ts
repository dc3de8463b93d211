// The "done when": a NATS outage during sign-ins loses no auth.session.created event. Auth runs in process
// against a private nats-server (the shared one must never be stopped) that is stopped and restarted mid-way.
import { connectEventBus, type EventBus } from '@edd/events';
import { hasNatsServer, memoryLogger, startPrivateNatsServer, waitFor, type PrivateNatsServer } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, login, startFresh } from './harness';

let nats: PrivateNatsServer;
let bus: EventBus;
let env: Awaited<ReturnType<typeof startFresh>>;

beforeAll(async () => {
  if (!hasNatsServer) return;
  nats = await startPrivateNatsServer();
  bus = await connectEventBus({ servers: nats.url, name: 'auth-nats-outage-test', logger: memoryLogger() });
  await bus.ensureStreams();
  env = await startFresh('nats_outage', { bus });
});
afterAll(async () => {
  await env?.close();
  await bus?.close();
  await nats?.dispose();
});

describe.skipIf(!hasNatsServer)('NATS outage', () => {
  it('every sign-in made before, during and after the outage reaches the AUTH stream exactly once', async () => {
    const relay = env.auth.relay!;
    const signIn = () => login(env.auth.url, ADMIN.username, ADMIN.password);

    for (let i = 0; i < 4; i++) await signIn();
    await waitFor(async () => (await relay.backlog()) === 0, 20_000);

    await nats.stop();
    await waitFor(() => !bus.isConnected(), 20_000);
    // Signing in does not need NATS: the events wait in the outbox.
    for (let i = 0; i < 4; i++) await signIn();
    expect(await relay.backlog()).toBe(4);

    await nats.start();
    for (let i = 0; i < 4; i++) await signIn();
    await waitFor(async () => (await relay.backlog()) === 0, 60_000);

    const { rows } = await env.auth.db.query<{ id: string }>('SELECT id FROM sessions');
    expect(rows).toHaveLength(12);
    const stored = await nats.subjectCounts('AUTH', 'auth.session.*.created');
    expect(stored).toEqual(Object.fromEntries(rows.map((row) => [`auth.session.${row.id}.created`, 1])));
  }, 120_000);
});
