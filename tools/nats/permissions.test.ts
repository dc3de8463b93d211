// THE test of "NATS is not open to everyone": a private nats-server configured by the generator,
// each service connecting with its own user. Raw @nats-io calls are used where the point is what the
// server refuses (anonymous connections, stream changes), which the bus would never attempt.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { connectEventBus, eventPublisherNames, eventPublishers, eventTypes, subjectFilter } from '@edd/events';
import type { EventBus, EventPublisher, EventType, ReceivedEvent } from '@edd/events';
import { memoryLogger, randomToken, samplePayload, uniqueDurable, waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_ADMIN_USER } from './server-config';
import { startPrivateNats, type PrivateNatsServer } from './private-server';

let server: PrivateNatsServer;
const buses: EventBus[] = [];
const connections: NatsConnection[] = [];

async function busOf(user: EventPublisher | typeof NATS_ADMIN_USER): Promise<EventBus> {
  const bus = await connectEventBus({ servers: server.url, name: user, user, pass: server.credentials[user], logger: memoryLogger() });
  buses.push(bus);
  return bus;
}

async function rawAs(user: EventPublisher | typeof NATS_ADMIN_USER): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url, user, pass: server.credentials[user] });
  connections.push(nc);
  return nc;
}

/** The catalogue's event types whose subjects a service may publish. */
function ownTypes(service: EventPublisher): EventType[] {
  const patterns: readonly string[] = eventPublishers[service];
  return eventTypes.filter((type) => patterns.some((p) => subjectFilter(type).startsWith(p.slice(0, -1))));
}

const violations = (user: string) =>
  server
    .log()
    .split('\n')
    .filter((line) => line.includes('Violation') && line.includes(`"${user}"`));

beforeAll(async () => {
  server = await startPrivateNats();
  // Streams are the admin's job (see permissions.ts); a service's ensureStreams then only checks them.
  await (await busOf(NATS_ADMIN_USER)).ensureStreams();
});

afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close().catch(() => undefined)));
  await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
  await server?.stop();
});

describe('NATS with a user per service', () => {
  it('refuses anonymous connections and wrong passwords', async () => {
    await expect(connect({ servers: server.url })).rejects.toThrow(/Authorization Violation/);
    await expect(connect({ servers: server.url, user: 'storage', pass: server.credentials.auth })).rejects.toThrow(
      /Authorization Violation/,
    );
  });

  it("lets storage publish its own subjects but not auth's, and auth's consumer never sees the forged event", async () => {
    const admin = await jetstreamManager(await rawAs(NATS_ADMIN_USER));
    const auth = await busOf('auth');
    const storage = await busOf('storage');
    const seen: Array<ReceivedEvent<'auth.user.deleted'>> = [];
    const consumer = await auth.consume({
      durable: uniqueDurable('nats_perm'),
      types: ['auth.user.deleted'],
      from: 'new',
      handler: (event) => void seen.push(event),
    });

    const ack = await jetstream(await rawAs('storage')).publish(`storage.file.${randomToken('f')}.uploaded`, '{}');
    expect(ack.stream).toBe('STORAGE');
    await expect(storage.publish('notify', samplePayload('notify', randomToken('u')))).resolves.toMatchObject({ stream: 'NOTIFICATIONS' });

    const authCount = async () => (await admin.streams.info('AUTH')).state.messages;
    const before = await authCount();
    const forged = randomToken('u1');
    await expect(storage.publish('auth.user.deleted', samplePayload('auth.user.deleted', forged))).rejects.toThrow(
      /Permissions Violation for Publish to "auth\.user\.u1-[0-9a-f]+\.deleted"/,
    );
    expect(await authCount()).toBe(before);

    // A genuine event after the forged attempt: once it arrives, anything earlier would have too.
    const genuine = randomToken('u2');
    await auth.publish('auth.user.deleted', samplePayload('auth.user.deleted', genuine));
    await waitFor(() => seen.length > 0);
    expect(seen.map((event) => [event.data.userId, event.meta.source])).toEqual([[genuine, 'auth']]);
    expect(violations('storage').some((line) => line.includes(forged))).toBe(true);
    await consumer.stop();
  });

  it('refuses what would let a service write into or erase another stream: stream changes, deletes, purges, core subscriptions', async () => {
    const nc = await rawAs('storage');
    const jsm = await jetstreamManager(nc);
    // A stream that republishes what it stores: the server would publish to auth.> on storage's behalf.
    const republish = { src: 'storage.>', dest: 'auth.user.u3.deleted' };
    await expect(jsm.streams.add({ name: 'FORGE', subjects: ['storage.forge.>'], republish })).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.update('STORAGE', { republish })).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.purge('AUTH')).rejects.toThrow(/Permissions Violation/);
    await expect(jsm.streams.delete('AUTH')).rejects.toThrow(/Permissions Violation/);
    // Core interest on an event subject would let a push consumer's deliveries be stored there.
    const sub = nc.subscribe('auth.>');
    await expect(sub.closed).resolves.toBeInstanceOf(Error);
  });

  it('lets the replicas of a service talk on live.<service>.> and nobody else listen there', async () => {
    const [a, b] = [await busOf('notifications'), await busOf('notifications')];
    const heard: string[] = [];
    b.listen({ subject: 'live.notifications.>', handler: (body) => void heard.push(body) });
    await b.ping();
    a.broadcast('live.notifications.u1', 'hello');
    await waitFor(() => heard.length > 0);
    expect(heard).toEqual(['hello']);
    const storage = await rawAs('storage');
    const eavesdrop = storage.subscribe('live.notifications.>');
    await expect(eavesdrop.closed).resolves.toBeInstanceOf(Error);
  });

  for (const service of eventPublisherNames) {
    it(`runs ${service}'s normal flow under its own permissions: ensureStreams, publish, consume, subscribe, ping`, async () => {
      const earlierViolations = violations(service).length; // the tests above provoke some on purpose
      const bus = await busOf(service);
      const auth = await busOf('auth');
      await bus.ensureStreams();
      await bus.ping();
      for (const type of ownTypes(service)) await bus.publish(type, samplePayload(type, randomToken(service)));

      const id = randomToken('flow');
      const consumed: string[] = [];
      const fannedOut: string[] = [];
      const mine = (event: ReceivedEvent<'auth.user.created'>) => event.data.userId === id;
      const durable = await bus.consume({
        durable: uniqueDurable(service),
        types: ['auth.user.created'],
        from: 'new',
        handler: (e) => void (mine(e) && consumed.push(e.data.userId)),
      });
      const subscription = await bus.subscribe({
        types: ['auth.user.created'],
        handler: (e) => void (mine(e) && fannedOut.push(e.data.userId)),
      });
      await auth.publish('auth.user.created', samplePayload('auth.user.created', id));
      await waitFor(() => consumed.length > 0 && fannedOut.length > 0);
      await durable.stop();
      await subscription.stop();
      await bus.close();
      expect([consumed, fannedOut]).toEqual([[id], [id]]);
      expect(violations(service).slice(earlierViolations)).toEqual([]);
    });
  }
});
