import { describe, expect, it } from 'vitest';
import { layerOf, layerSamples } from './perf-layers';

describe('perf report rows sorted into layers', () => {
  it('names the layer of each kind of code', () => {
    expect(layerOf('[kernel.kallsyms]')).toBe('kernel');
    expect(layerOf('node')).toBe('V8 and Node (node binary)');
    expect(layerOf('/usr/local/bin/node')).toBe('V8 and Node (node binary)');
    expect(layerOf('[JIT] tid 11368')).toBe('JIT code (JavaScript, regexps)');
    expect(layerOf('/tmp/perf-11368.map')).toBe('JIT code (JavaScript, regexps)');
    expect(layerOf('libc.so.6')).toBe('libc');
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
      'V8 and Node (node binary)': 3026,
      'JIT code (JavaScript, regexps)': 1269,
      libc: 664,
      other: 48,
    });
  });
});
