import { describe, expect, it } from 'vitest';
import { parseHealthLiveMessage } from './live-messages';

describe('parseHealthLiveMessage', () => {
  it('reads cluster and pods frames', () => {
    expect(parseHealthLiveMessage('{"type":"cluster","payload":{"timestamp":"t","nodes":[]}}')).toEqual({
      type: 'cluster',
      payload: { timestamp: 't', nodes: [] },
    });
    expect(parseHealthLiveMessage('{"type":"pods","payload":{"timestamp":"t","pods":[]}}')?.type).toBe('pods');
  });

  it('ignores what is not a frame it knows', () => {
    for (const text of [
      'nope',
      'null',
      '{"type":"cluster"}',
      '{"type":"cluster","payload":{"nodes":1}}',
      '{"type":"other","payload":{}}',
    ]) {
      expect(parseHealthLiveMessage(text)).toBeUndefined();
    }
  });
});
