import type { EventBus } from '../src/bus-api';
import { connectEventBus } from '../src/bus';
import { createMemoryBus, memoryLogger, randomToken, testNatsUrl, waitFor } from '../src/testing';
import { afterAll, describe, expect, it } from 'vitest';

const buses: EventBus[] = [];
afterAll(async () => Promise.all(buses.map((bus) => bus.close())));

async function natsBus(): Promise<EventBus> {
  const bus = await connectEventBus({ servers: testNatsUrl, name: 'live-test', logger: memoryLogger() });
  buses.push(bus);
  return bus;
}

describe.each([
  ['NATS', natsBus],
  ['memory', async () => createMemoryBus()],
] as const)('broadcast/listen on %s', (_name, makeBus) => {
  it('delivers to every listener of a matching subject, until it stops', async () => {
    const bus = await makeBus();
    const other = _name === 'NATS' ? await natsBus() : bus;
    const channel = `live.test.${randomToken()}`;
    const first: string[] = [];
    const second: string[] = [];
    const elsewhere: string[] = [];
    const one = bus.listen({ subject: `${channel}.>`, handler: (body, subject) => void first.push(`${subject}:${body}`) });
    other.listen({ subject: `${channel}.*`, handler: (body) => void second.push(body) });
    other.listen({ subject: `${channel}.other`, handler: (body) => void elsewhere.push(body) });
    await other.ping();
    bus.broadcast(`${channel}.u1`, 'a');
    await waitFor(() => first.length === 1 && second.length === 1);
    await one.stop();
    bus.broadcast(`${channel}.u1`, 'b');
    await waitFor(() => second.length === 2);
    expect([first, second, elsewhere]).toEqual([[`${channel}.u1:a`], ['a', 'b'], []]);
  });

  it('refuses subjects outside live.', async () => {
    const bus = await makeBus();
    expect(() => bus.broadcast('notify.u1', 'x')).toThrow(/live subject/);
    expect(() => bus.listen({ subject: 'live.>.x', handler: () => undefined })).toThrow(/live subject/);
    expect(() => bus.broadcast('live.a b', 'x')).toThrow(/live subject/);
  });
});
