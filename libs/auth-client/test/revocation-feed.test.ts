import type { EventBus } from '@edd/events';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { RevokedIds } from '../src/revoked-ids';
import { applyRevocationEvent, followRevocations } from '../src/revocation-feed';
import type { RevocationBus } from '../src/revocation-feed';

const targets = () => ({ sessionInvalidated: vi.fn(), tokenRevoked: vi.fn(), userDeleted: vi.fn(), serviceAccountChanged: vi.fn() });

describe('applyRevocationEvent', () => {
  it('routes each event type to what it invalidates', () => {
    const t = targets();
    applyRevocationEvent({ type: 'auth.session.invalidated', data: { sessionId: 's1', userId: 'u1', reason: 'logout' } }, t);
    applyRevocationEvent({ type: 'auth.token.revoked', data: { tokenId: 't1', userId: 'u1' } }, t);
    applyRevocationEvent({ type: 'auth.user.deleted', data: { userId: 'u1', username: 'alice' } }, t);
    applyRevocationEvent({ type: 'auth.identity.updated', data: { serviceAccountId: 'sa1', ownerId: 'u1', name: 'ci', scopes: {} } }, t);
    applyRevocationEvent({ type: 'auth.identity.deleted', data: { serviceAccountId: 'sa2', ownerId: 'u1' } }, t);
    expect(t.sessionInvalidated).toHaveBeenCalledWith('s1');
    expect(t.tokenRevoked).toHaveBeenCalledWith('t1');
    expect(t.userDeleted).toHaveBeenCalledWith('u1');
    expect(t.serviceAccountChanged.mock.calls).toEqual([['sa1'], ['sa2']]);
  });

  it('ignores other types and malformed payloads', () => {
    const t = targets();
    applyRevocationEvent({ type: 'auth.user.created', data: { userId: 'u1' } }, t);
    applyRevocationEvent({ type: 'auth.session.invalidated', data: null }, t);
    applyRevocationEvent({ type: 'auth.token.revoked', data: { tokenId: 42 } }, t);
    applyRevocationEvent({ type: 'auth.token.revoked', data: { tokenId: '' } }, t);
    expect(Object.values(t).every((fn) => fn.mock.calls.length === 0)).toBe(true);
  });

  it('accepts an @edd/events EventBus as the bus', () => {
    expectTypeOf<EventBus>().toExtend<RevocationBus>();
  });
});

describe('followRevocations', () => {
  it('retries a failed subscription and stops cleanly', async () => {
    vi.useFakeTimers();
    try {
      const stop = vi.fn(async () => undefined);
      const subscribe = vi.fn().mockRejectedValueOnce(new Error('no NATS')).mockResolvedValue({ stop });
      const feed = followRevocations({ subscribe }, targets());
      await feed.ready;
      expect(subscribe).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(subscribe).toHaveBeenCalledTimes(2);
      await feed.stop();
      expect(stop).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('RevokedIds', () => {
  it('remembers ids until their deadline, and at most maxSize of them', () => {
    let now = 1_000;
    const ids = new RevokedIds(100, 2, () => now);
    ids.add('a');
    expect(ids.has('a')).toBe(true);
    expect(ids.has('b')).toBe(false);
    now += 100;
    expect(ids.has('a')).toBe(false);
    ids.add('a');
    ids.add('b');
    ids.add('c');
    expect([ids.has('a'), ids.has('b'), ids.has('c')]).toEqual([false, true, true]);
  });
});
