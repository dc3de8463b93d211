import { describe, expect, it } from 'vitest';
import { contextSwitchesOf, kernelWorkPerRequest, minorFaultsOf, nstatCounter } from './kernel-work';

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

  it('reads minflt after a command name holding spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt ...
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 1234 0 7 0 90 12';
    expect(minorFaultsOf(stat)).toBe(1234);
  });

  it('adds voluntary and involuntary context switches of a thread', () => {
    const status = ['Name:\tnode', 'Threads:\t7', 'voluntary_ctxt_switches:\t150', 'nonvoluntary_ctxt_switches:\t42'].join('\n');
    expect(contextSwitchesOf(status)).toBe(192);
  });

  it('writes the growth per request, with a dash for segments nstat could not count', () => {
    const before = { segments: 1000, contextSwitches: 10, minorFaults: 5 };
    const after = { segments: 9000, contextSwitches: 510, minorFaults: 5 };
    expect(kernelWorkPerRequest(before, after, 2000)).toBe('4.00, 0.25, 0.00');
    expect(kernelWorkPerRequest({ ...before, segments: undefined }, after, 2000)).toBe('–, 0.25, 0.00');
  });
});
