// The in-memory bus's own behaviour (what the shared contract in bus-contract.test.ts does not cover).
import { EventValidationError } from '@edd/event-contracts';
import { describe, expect, it } from 'vitest';
import { MAX_DELIVER } from '../src/consume';
import { createMemoryBus } from '../src/memory-bus';
import { memoryLogger, samplePayload, waitFor } from '../src/testing';

const quiet = () => ({ logger: memoryLogger() });

describe('memory bus', () => {
  it('records what was published and what was dead-lettered; idle() waits for every redelivery', async () => {
    const bus = createMemoryBus({ name: 'svc', ...quiet() });
    let attempts = 0;
    await bus.consume({
      durable: 'd',
      types: ['auth.token.revoked'],
      handler: () => {
        attempts++;
        throw new Error('nope');
      },
    });
    await bus.publish('auth.token.revoked', { tokenId: 't1', userId: 'u1' });
    await bus.idle();
    expect(attempts).toBe(MAX_DELIVER);
    expect(bus.published.map((e) => [e.type, e.subject, e.meta.source])).toEqual([['auth.token.revoked', 'auth.token.t1.revoked', 'svc']]);
    expect(bus.deadLetters).toEqual([
      expect.objectContaining({ durable: 'd', deliveries: MAX_DELIVER, reason: 'handler failed 5 times: nope' }),
    ]);
  });

  it("a new durable starts from every retained event ('all') or only later ones ('new')", async () => {
    const bus = createMemoryBus(quiet());
    await bus.publish('notify', samplePayload('notify', 'early'));
    const all: string[] = [];
    const fresh: string[] = [];
    await bus.consume({ durable: 'all', types: ['notify'], handler: (e) => void all.push(e.data.userId) });
    await bus.consume({ durable: 'new', types: ['notify'], from: 'new', handler: (e) => void fresh.push(e.data.userId) });
    await bus.publish('notify', samplePayload('notify', 'late'));
    await bus.idle();
    expect(all).toEqual(['early', 'late']);
    expect(fresh).toEqual(['late']);
  });

  it('replicas sharing a durable handle each event once in total; a stopped durable keeps its position', async () => {
    const bus = createMemoryBus(quiet());
    const handled: Array<[string, string]> = [];
    const replica = (name: string) => (e: { data: { userId: string } }) => void handled.push([name, e.data.userId]);
    const a = await bus.consume({ durable: 'shared', types: ['notify'], handler: replica('a') });
    const b = await bus.consume({ durable: 'shared', types: ['notify'], handler: replica('b') });
    for (const id of ['1', '2', '3', '4']) await bus.publish('notify', samplePayload('notify', id));
    await bus.idle();
    expect(handled.map(([, id]) => id).sort()).toEqual(['1', '2', '3', '4']);
    expect(new Set(handled.map(([name]) => name))).toEqual(new Set(['a', 'b']));

    await Promise.all([a.stop(), b.stop()]);
    await bus.publish('notify', samplePayload('notify', 'while-down'));
    await bus.idle();
    expect(handled).toHaveLength(4);
    await bus.consume({ durable: 'shared', types: ['notify'], handler: replica('c') });
    await bus.idle();
    expect(handled.at(-1)).toEqual(['c', 'while-down']);
  });

  it('runs up to `concurrency` handlers at once', async () => {
    const bus = createMemoryBus(quiet());
    let running = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await bus.consume({
      durable: 'c',
      types: ['notify'],
      concurrency: 2,
      handler: async () => {
        running++;
        await gate;
      },
    });
    for (const id of ['1', '2', '3']) await bus.publish('notify', samplePayload('notify', id));
    await waitFor(() => running === 2);
    release();
    await bus.idle();
    expect(running).toBe(3);
  });

  it('validates consume options and refuses work once closed', async () => {
    const bus = createMemoryBus(quiet());
    await expect(bus.consume({ durable: 'x', types: [], handler: () => undefined })).rejects.toThrow(EventValidationError);
    await expect(bus.consume({ durable: 'x', types: ['notify'], concurrency: 1.5, handler: () => undefined })).rejects.toThrow(
      /concurrency/u,
    );
    await expect(bus.consume({ durable: 'x', types: ['nope' as 'notify'], handler: () => undefined })).rejects.toThrow(
      /unknown event type/u,
    );
    expect(bus.isConnected()).toBe(true);
    await bus.ping();
    await bus.close();
    expect(bus.isConnected()).toBe(false);
    await expect(bus.ping()).rejects.toThrow(/not connected/u);
    await expect(bus.publish('notify', samplePayload('notify', 'u1'))).rejects.toThrow(/closed/u);
  });
});
