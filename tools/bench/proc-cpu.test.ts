import { describe, expect, it } from 'vitest';
import { minorFaultsIn, statFields, switchesOf } from './proc-cpu';

describe('/proc counters', () => {
  it('reads minflt after a command name holding spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt ...
    const stat = '4242 (node (main) x) S 1 4242 4242 0 -1 4194560 1234 0 7 0 90 12';
    expect(minorFaultsIn(stat)).toBe(1234);
    expect(statFields(stat)[0]).toBe('S');
  });

  it('reads the voluntary and involuntary context switches of a thread', () => {
    const status = ['Name:\tnode', 'Threads:\t7', 'voluntary_ctxt_switches:\t150', 'nonvoluntary_ctxt_switches:\t42'].join('\n');
    expect(switchesOf(status)).toEqual({ voluntary: 150, involuntary: 42 });
  });
});
