import { describe, expect, it } from 'vitest';
import { layerOf, layerSamples, layerTable, straceCounts } from './perf-layers';

describe('perf report rows sorted into layers', () => {
  it('names the layer of each kind of code', () => {
    expect(layerOf('[kernel.kallsyms]')).toBe('kernel');
    expect(layerOf('node')).toBe('V8 and Node (node binary)');
    expect(layerOf('/usr/local/bin/node')).toBe('V8 and Node (node binary)');
    expect(layerOf('[JIT] tid 11368')).toBe('JIT code (JavaScript, regexps)');
    expect(layerOf('/tmp/perf-11368.map')).toBe('JIT code (JavaScript, regexps)');
    expect(layerOf('libc.so.6')).toBe('libc');
    expect(layerOf('libc.so.6', '__memcpy_avx_unaligned_erms')).toBe('libc');
    for (const stub of ['__GI___libc_write', 'read', '__libc_recv', '__GI___writev', 'epoll_pwait', '__getsockopt', '__getpid'])
      expect(layerOf('libc.so.6', stub), stub).toBe('system call stubs (libc)');
    expect(layerOf('libc.so.6', 'clock_gettime@@GLIBC_2.17')).toBe('libc'); // the vDSO answers it: no kernel entry
    expect(layerOf('node', 'read')).toBe('V8 and Node (node binary)');
    expect(layerOf('libstdc++.so.6.0.30')).toBe('other');
    expect(layerOf('[vdso]')).toBe('other');
  });

  it('adds up the sample counts of a report, skipping its comments', () => {
    const report = [
      "# Samples: 10K of event 'cpu-clock:pppH'",
      '# Overhead       Samples  Shared Object',
      '# ........  ............  ...................',
      '#',
      '    51.96%          5417  [kernel.kallsyms]',
      '    29.02%          3026  node',
      '    12.17%          1269  [JIT] tid 11368',
      '     6.37%           664  libc.so.6',
      '     0.32%            33  [vdso]',
      '     0.14%            15  libstdc++.so.6.0.30',
      '',
    ].join('\n');
    expect(layerSamples(report)).toEqual({
      kernel: 5417,
      'system call stubs (libc)': 0,
      'V8 and Node (node binary)': 3026,
      'JIT code (JavaScript, regexps)': 1269,
      libc: 664,
      other: 48,
    });
  });

  it('reads rows sorted by object and symbol, telling system call stubs from the rest of libc', () => {
    const report = [
      '# Overhead       Samples  Shared Object        Symbol',
      '    18.89%          3938  [kernel.kallsyms]    [k] pvm_irq_enable',
      '     2.92%           609  libc.so.6            [.] __GI___libc_write',
      '     2.69%           561  libc.so.6            [.] read',
      '     1.75%           365  [JIT] tid 15605      [.] JS:*onHandleRead file:///x/main.mjs:1426:40',
      '     1.41%           294  node                 [.] v8::internal::(anonymous namespace)::Invoke',
      '     0.40%            83  libc.so.6            [.] __memcpy_avx_unaligned_erms',
      '     0.24%            50  [vdso]               [.] __vdso_clock_gettime',
      '',
    ].join('\n');
    expect(layerSamples(report)).toEqual({
      kernel: 3938,
      'system call stubs (libc)': 1170,
      'V8 and Node (node binary)': 294,
      'JIT code (JavaScript, regexps)': 365,
      libc: 83,
      other: 50,
    });
  });

  it('counts system calls by name from a strace -c summary, with or without errors, leaving out the total', () => {
    const summary = [
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      ' 89.72    5.600058       50909       110        10 futex',
      '  6.27    0.391225          13     29148           write',
      '  3.72    0.232239           7     29106         3 read',
      '  0.24    0.014862          23       626           epoll_pwait',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    6.241512         105     59426        65 total',
    ].join('\n');
    expect([...straceCounts(summary)]).toEqual([
      ['futex', 110],
      ['write', 29148],
      ['read', 29106],
      ['epoll_pwait', 626],
    ]);
  });

  it('writes a row per proxy whose all column is the sum of its layers', () => {
    const lines = layerTable([
      {
        proxy: 'gateway',
        rps: 19297.4,
        usPerRequest: {
          kernel: 23.12,
          'system call stubs (libc)': 2.6,
          'V8 and Node (node binary)': 6.94,
          'JIT code (JavaScript, regexps)': 4.7,
          libc: 0.3,
          other: 0.1,
        },
        systemCalls: '4.04 (read 2.00, write 2.00, epoll_pwait 0.04)',
        kernelWork: '4.01, 0.24, 0.00',
      },
    ]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('| proxy | req/s | all | kernel | system call stubs (libc) |');
    expect(lines[1]?.split('|').length).toBe(lines[0]?.split('|').length);
    expect(lines[2]).toBe(
      '| gateway | 19297 | 37.8 | 23.1 | 2.6 | 6.9 | 4.7 | 0.3 | 0.1 | 4.04 (read 2.00, write 2.00, epoll_pwait 0.04) | 4.01, 0.24, 0.00 |',
    );
  });
});
