import { EventValidationError } from '@edd/event-contracts';
import { describe, expect, it } from 'vitest';
import { consumerFilter, groupByStream } from '../src/consumer-plan';

describe('consumer plan', () => {
  it('groups types by stream', () => {
    const groups = groupByStream(['auth.user.created', 'notify', 'auth.token.revoked', 'notify']);
    expect([...groups]).toEqual([
      ['AUTH', ['auth.user.created', 'auth.token.revoked']],
      ['NOTIFICATIONS', ['notify']],
    ]);
    expect(() => groupByStream([])).toThrow(EventValidationError);
  });

  it('uses exact filters when the server takes several, else one covering filter', () => {
    const types = ['auth.user.created', 'auth.session.invalidated'] as const;
    expect(consumerFilter(types, true)).toEqual(['auth.user.*.created', 'auth.session.*.invalidated']);
    expect(consumerFilter(types, false)).toBe('auth.*.*.*');
    expect(consumerFilter(['notify'], true)).toBe('notify.*');
  });
});
