import { describe, expect, it } from 'vitest';
import {
  addErrorKinds,
  formatErrors,
  medianRun,
  renderReport,
  scaling,
  verdicts,
  type Measured,
  type Row,
  type Section,
  type TargetName,
} from './report';
import type { MachineSample } from './machine';
import { noErrors, wrkErrorKinds } from './load';

const run = (rps: number, p50Ms: number, cpuUsPerReq?: number, cpuUserUsPerReq?: number): Measured => ({
  requests: rps * 4,
  seconds: 4,
  rps,
  p50Ms,
  p99Ms: p50Ms * 3,
  errors: 0,
  errorKinds: noErrors(),
  tool: 'wrk',
  cpuUsPerReq,
  cpuUserUsPerReq,
});

function row(path: string, figures: Record<TargetName, Measured>): Row {
  const entries = Object.entries(figures) as Array<[TargetName, Measured]>;
  return {
    path,
    runs: new Map(entries.map(([name, m]) => [name, [m]])),
    medians: new Map(entries),
    single: new Map(entries.map(([name, m]) => [name, { ...m, p50Ms: m.p50Ms / 20 }])),
  };
}

const machine = (load: number, total: number, steal: number): MachineSample => ({
  at: 0,
  load: [load, load, load],
  totalTicks: total,
  stealTicks: steal,
});

function section(form: string, workers: number, gatewayRps: number): Section {
  return {
    form,
    workers,
    rows: [
      row('/', {
        direct: run(30_000, 1.2),
        gateway: run(gatewayRps, 2.4, 44, 20),
        nginx: run(gatewayRps - 1_000, 2.3, 40),
        haproxy: run(19_000, 2.2, 38),
        'node-pipe': run(18_000, 2.4, 41, 12.5),
        floor: run(21_000, 2.3, 36, 9),
      }),
    ],
    machineBefore: machine(1.5, 1_000, 10),
    machineAfter: machine(2, 2_000, 30),
  };
}

describe('gateway benchmark report', () => {
  it('takes each field’s median on its own', () => {
    const m = medianRun([run(100, 3, 50, 5), run(300, 1, 10, 30), run(200, 2, 30, 20)]);
    expect([m.rps, m.p50Ms, m.cpuUsPerReq, m.cpuUserUsPerReq, m.requests]).toEqual([200, 2, 30, 20, 2_400]);
  });

  it('judges the issue’s targets against nginx and node-pipe of the same run', () => {
    const [throughput, cpuVsPipe, cpuVsNginx, latency] = verdicts(section('bundle', 1, 20_000).rows[0] as Row);
    expect(throughput?.met).toBe(true); // 20,000 vs nginx 19,000
    expect(cpuVsPipe?.met).toBe(true); // 44 ≤ 1.1 × 41
    expect(cpuVsNginx?.met).toBe(false); // 44 > 40
    expect(latency?.met).toBe(true); // 2.4 ≤ 2.3 + 0.1
    expect(cpuVsNginx?.measured).toBe('44.0 vs 40.0 µs');
  });

  it('reports scaling only for a form measured with one worker and with more', () => {
    const scaled = scaling([section('bundle', 1, 20_000), section('bundle', 2, 30_000), section('edge', 2, 25_000)]);
    expect(scaled).toHaveLength(1);
    expect(scaled[0]).toMatchObject({ form: 'bundle', workers: 2, gateway: 1.5, nginx: 29_000 / 19_000, haproxy: 1 });
  });

  it('writes the machine, each section and a verdict per target', () => {
    const { markdown, summary } = renderReport({
      sections: [section('start', 1, 15_000)],
      date: '2026-12-02T00:00:00.000Z',
      command: 'npm run bench -- --sections start:1',
      machine: '2 × Test CPU, Linux 6.1, Node v20',
      batchedIo: 'off (GATEWAY_BATCHED_IO=false)',
      connections: 50,
      rounds: 1,
      duration: 4,
    });
    expect(markdown).toContain('Load average (1/5/15 min) 1.50 / 1.50 / 1.50 before, 2.00 / 2.00 / 2.00 after');
    expect(markdown).toContain('hypervisor during the section 2.0 %');
    expect(markdown).toContain('their writes made back to back): off (GATEWAY_BATCHED_IO=false).');
    expect(markdown).toContain('| 5 B | throughput ≥ nginx | 1.07× nginx | met |');
    expect(markdown).toContain('| 5 B | CPU/request ≤ nginx | 44.0 vs 40.0 µs | **NOT met** |');
    expect(markdown).toContain('| 5 B | gateway | 15000 | 15000 | 2.40 | 7.20 | 44.0 | 20.0 |');
    // 44 - 41 in all, 20 - 12.5 of it in user mode: the kernel's share is 3 - 7.5.
    expect(markdown).toContain(
      'spends 3.0 µs of CPU per request above the blind Node relay (node-pipe): 7.5 in user mode, -4.5 in the kernel.',
    );
    expect(markdown).toContain('user time per request: floor 9.0 µs, nginx –, gateway 20.0 (its HTTP work 11.0 µs above the floor');
    expect(summary).toContain('start:1 5 B');
    expect(summary).toContain('1 of 4 not met');
    expect(markdown).not.toContain('by layer (same run)');
  });

  it('adds the profile by layer when the run made one, and says why when it did not', () => {
    const input = {
      sections: [section('edge', 1, 20_000)],
      date: '2026-12-05T00:00:00.000Z',
      command: 'npm run bench',
      machine: '2 × Test CPU',
      batchedIo: 'on',
      connections: 50,
      rounds: 1,
      duration: 4,
    };
    const table = ['| proxy | req/s | all |', '|---|---:|---:|', '| gateway | 19297 | 37.8 |'];
    const profiled = renderReport({ ...input, profile: { seconds: 4, table } }).markdown;
    expect(profiled).toContain("## Where each proxy's CPU goes, by layer (same run)");
    expect(profiled).toContain('each sampled for 4 s by `perf record');
    expect(profiled).toContain(table.join('\n'));
    // After the sections' tables, before the pointer to gateway-performance.md.
    expect(profiled.indexOf('| gateway | 19297 | 37.8 |')).toBeGreaterThan(profiled.indexOf('## Gateway: edge alone'));
    const skipped = renderReport({ ...input, profile: { skipped: 'not run (--no-profile)' } }).markdown;
    expect(skipped).toContain('Profile not run (--no-profile).');
    expect(skipped).not.toContain('| proxy |');
  });
});

describe('benchmark error counts', () => {
  const wrkOutput = [
    'Running 4s test @ http://127.0.0.1:18080/',
    '  50737 requests in 4.00s, 7.60MB read',
    '  Socket errors: connect 0, read 3, write 0, timeout 2',
    '  Non-2xx or 3xx responses: 4',
    'Requests/sec:  12684.25',
  ].join('\n');

  it('reads each of wrk’s error classes', () => {
    expect(wrkErrorKinds(wrkOutput)).toEqual({ non2xx: 4, connect: 0, read: 3, write: 0, timeout: 2, other: 0 });
    expect(wrkErrorKinds('  10 requests in 1.00s, 1KB read\n')).toEqual(noErrors());
  });

  it('sums runs kind by kind, also in the median', () => {
    const a = { ...run(100, 1), errors: 3, errorKinds: { ...noErrors(), read: 3 } };
    const b = { ...run(120, 1), errors: 2, errorKinds: { ...noErrors(), read: 1, timeout: 1 } };
    expect(addErrorKinds([a.errorKinds, b.errorKinds])).toEqual({ ...noErrors(), read: 4, timeout: 1 });
    expect(medianRun([a, b]).errorKinds).toEqual({ ...noErrors(), read: 4, timeout: 1 });
  });

  it('shows the total with its non-zero kinds', () => {
    expect(formatErrors(noErrors())).toBe('0');
    expect(formatErrors(wrkErrorKinds(wrkOutput))).toBe('9 (non-2xx 4, read 3, timeout 2)');
  });
});
