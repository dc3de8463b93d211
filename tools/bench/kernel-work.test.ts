import { describe, expect, it } from 'vitest';
import { kernelWorkPerRequest, nstatCounter } from './kernel-work';

describe('kernel work counters', () => {
  it('reads a counter from nstat output', () => {
    const text = [
      '#kernel',
      'TcpInSegs                       8062               0.0',
      'TcpOutSegs                      8060               0.0',
    ].join('\n');
    expect(nstatCounter(text, 'TcpOutSegs')).toBe(8060);
    expect(nstatCounter(text, 'TcpRetransSegs')).toBeUndefined();
  });

  it('writes the growth per request, with a dash for segments nstat could not count', () => {
    const before = { segments: 1000, contextSwitches: 10, minorFaults: 5 };
    const after = { segments: 9000, contextSwitches: 510, minorFaults: 5 };
    expect(kernelWorkPerRequest(before, after, 2000)).toBe('4.00, 0.25, 0.00');
    expect(kernelWorkPerRequest({ ...before, segments: undefined }, after, 2000)).toBe('–, 0.25, 0.00');
  });
});
