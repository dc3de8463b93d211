import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './metrics';

/** Every non-comment line of the text format: `name{labels} value`. */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? -?[0-9.e+]+$/;

describe('GatewayMetrics', () => {
  it('renders requests by route and status, histograms and gauges in Prometheus text format', () => {
    const m = new GatewayMetrics();
    m.requestFinished('auth.cloud.localhost/', 200, 0.003);
    m.requestFinished('auth.cloud.localhost/', 200, 0.004);
    m.requestFinished('auth.cloud.localhost/', 502, 0.2);
    m.requestFinished('none', 404, 0.0001);
    m.upstreamLatency(0.002);
    m.upstreamLatency(20);
    m.connectionOpened();
    m.connectionOpened();
    m.connectionClosed();
    m.gauge('gateway_static_routes', 'Static routes in service.', () => 9);
    const text = m.render();
    const lines = text.trimEnd().split('\n');

    expect(text.endsWith('\n')).toBe(true);
    for (const line of lines) if (!line.startsWith('#')) expect(line).toMatch(SAMPLE);
    expect(lines).toContain('# TYPE gateway_requests_total counter');
    expect(lines).toContain('gateway_requests_total{route="auth.cloud.localhost/",status="200"} 2');
    expect(lines).toContain('gateway_requests_total{route="auth.cloud.localhost/",status="502"} 1');
    expect(lines).toContain('gateway_requests_total{route="none",status="404"} 1');
    expect(lines).toContain('# TYPE gateway_upstream_latency_seconds histogram');
    expect(lines).toContain('gateway_upstream_latency_seconds_bucket{le="0.0025"} 1');
    expect(lines).toContain('gateway_upstream_latency_seconds_bucket{le="10"} 1');
    expect(lines).toContain('gateway_upstream_latency_seconds_bucket{le="+Inf"} 2');
    expect(lines).toContain('gateway_upstream_latency_seconds_count 2');
    expect(lines).toContain('gateway_upstream_latency_seconds_sum 20.002');
    expect(lines).toContain('gateway_request_duration_seconds_count 4');
    expect(lines).toContain('gateway_open_connections 1');
    expect(lines).toContain('gateway_static_routes 9');
    expect(lines.some((l) => /^process_resident_memory_bytes \d+$/.test(l))).toBe(true);
    expect(lines.some((l) => /^nodejs_heap_used_bytes \d+$/.test(l))).toBe(true);
  });

  it('counts each route and status pair apart however they interleave', () => {
    const m = new GatewayMetrics();
    const sequence: Array<[string, number]> = [
      ['a/', 200],
      ['a/', 200],
      ['b/', 200],
      ['a/', 200],
      ['a/', 404],
      ['a/', 404],
      ['b/', 200],
      ['a/', 200],
    ];
    for (const [route, status] of sequence) m.requestFinished(route, status, 0.001);
    const counts = m
      .render()
      .split('\n')
      .filter((l) => l.startsWith('gateway_requests_total{'))
      .sort();
    expect(counts).toEqual([
      'gateway_requests_total{route="a/",status="200"} 4',
      'gateway_requests_total{route="a/",status="404"} 2',
      'gateway_requests_total{route="b/",status="200"} 2',
    ]);
  });

  it('histogram buckets are cumulative and end with +Inf = count', () => {
    const m = new GatewayMetrics();
    for (const s of [0.0001, 0.001, 0.01, 0.1, 1]) m.upstreamLatency(s);
    const buckets = m
      .render()
      .split('\n')
      .filter((l) => l.startsWith('gateway_upstream_latency_seconds_bucket'))
      .map((l) => Number(l.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(5);
  });

  it('escapes label values', () => {
    const m = new GatewayMetrics();
    m.requestFinished('we"ird\\route\n', 200, 0);
    expect(m.render()).toContain('gateway_requests_total{route="we\\"ird\\\\route\\n",status="200"} 1');
  });

  it('never lets the open connection gauge go negative', () => {
    const m = new GatewayMetrics();
    m.connectionClosed();
    expect(m.render()).toContain('gateway_open_connections 0\n');
  });
});

describe('GatewayMetrics across worker processes', () => {
  it('sums other workers’ latest snapshots into the rendered totals', () => {
    const local = new GatewayMetrics();
    const remote = new GatewayMetrics();
    local.requestFinished('a/', 200, 0.001);
    remote.requestFinished('a/', 200, 0.001);
    remote.requestFinished('b/', 500, 0.001);
    remote.upstreamLatency(0.002);
    remote.connectionOpened();
    local.setWorkerSnapshot(1, remote.snapshot());
    remote.requestFinished('a/', 200, 0.001);
    local.setWorkerSnapshot(1, JSON.parse(JSON.stringify(remote.snapshot()))); // replaces, as sent over IPC
    const lines = local.render().split('\n');
    expect(lines).toContain('gateway_requests_total{route="a/",status="200"} 3');
    expect(lines).toContain('gateway_requests_total{route="b/",status="500"} 1');
    expect(lines).toContain('gateway_upstream_latency_seconds_count 1');
    expect(lines).toContain('gateway_request_duration_seconds_count 4');
    expect(lines).toContain('gateway_open_connections 1');
    expect(lines).toContain('gateway_workers_reporting 2');
  });

  it('renders declared counters (0 until used), labelled increments, and sums other workers’ counters', () => {
    const local = new GatewayMetrics();
    const remote = new GatewayMetrics();
    for (const metrics of [local, remote]) {
      metrics.declareCounter('gateway_ssh_logins_total', 'Logins.');
      metrics.declareCounter('gateway_ssh_refusals_total', 'Refusals.');
    }
    expect(local.render().split('\n')).toContain('gateway_ssh_logins_total 0');
    local.increment('gateway_ssh_refusals_total', { reason: 'key_not_trusted' });
    remote.increment('gateway_ssh_refusals_total', { reason: 'key_not_trusted' }, 2);
    remote.increment('gateway_ssh_refusals_total', { reason: 'a"b' });
    remote.increment('gateway_ssh_logins_total');
    local.setWorkerSnapshot(1, JSON.parse(JSON.stringify(remote.snapshot())));
    const lines = local.render().split('\n');
    expect(lines).toContain('# TYPE gateway_ssh_refusals_total counter');
    expect(lines).toContain('gateway_ssh_refusals_total{reason="key_not_trusted"} 3');
    expect(lines).toContain('gateway_ssh_refusals_total{reason="a\\"b"} 1');
    expect(lines).toContain('gateway_ssh_logins_total 1');
  });

  it('counters read from elsewhere (the log transport) show their current value, summed over workers', () => {
    const local = new GatewayMetrics();
    const remote = new GatewayMetrics();
    let localDropped = 2;
    local.counterReadFrom('log_transport_dropped_total', 'Dropped.', () => localDropped);
    remote.counterReadFrom('log_transport_dropped_total', 'Dropped.', () => 5);
    expect(local.render().split('\n')).toContain('log_transport_dropped_total 2');
    localDropped = 3;
    local.setWorkerSnapshot(1, JSON.parse(JSON.stringify(remote.snapshot())));
    expect(local.render().split('\n')).toContain('log_transport_dropped_total 8');
  });
});
