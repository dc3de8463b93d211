import { Histogram } from './histogram';
import type { HistogramSnapshot } from './histogram';

const LATENCY_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One worker's cumulative counters, sent to the worker that serves /metrics in multi-core mode. */
export interface MetricsSnapshot {
  requests: Array<[route: string, status: number, count: number]>;
  requestDuration: HistogramSnapshot;
  upstreamLatency: HistogramSnapshot;
  openConnections: number;
  /** Labelled counters added with `increment` (the SSH plane's); absent from older workers. */
  counters?: Array<[name: string, labels: string, count: number]>;
}

/** Label value escaping of the text exposition format: backslash, double quote, newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The gateway's counters, in Prometheus text format (version 0.0.4). Recording is allocation-free once a
 * route/status pair has been seen: nested maps of plain counters, no label strings built per request.
 */
export class GatewayMetrics {
  private readonly requests = new Map<string, Map<number, { n: number }>>();
  private lastLabel = '';
  private lastStatus = -1;
  private lastCounter = { n: 0 };
  private readonly requestDuration = new Histogram(LATENCY_BOUNDS);
  private readonly upstream = new Histogram(LATENCY_BOUNDS);
  private openConnections = 0;
  private readonly extraGauges = new Map<string, { help: string; read: () => number }>();
  private readonly workers = new Map<number, MetricsSnapshot>();
  private readonly counterHelp = new Map<string, string>();
  // name -> rendered label set (`reason="x"`) -> count
  private readonly counters = new Map<string, Map<string, { n: number }>>();
  // Counters kept elsewhere (the log transport's), copied in before each snapshot and render.
  private readonly readCounters = new Map<string, () => number>();

  /** `routeLabel` should be bounded (route host + prefix, or "none"), never the raw path. */
  requestFinished(routeLabel: string, status: number, durationSeconds: number): void {
    this.requestDuration.observe(durationSeconds);
    // Most requests repeat the last route and status: their counter is kept, and the two map lookups skipped.
    if (routeLabel === this.lastLabel && status === this.lastStatus) {
      this.lastCounter.n++;
      return;
    }
    let byStatus = this.requests.get(routeLabel);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.requests.set(routeLabel, byStatus);
    }
    let counter = byStatus.get(status);
    if (counter === undefined) {
      counter = { n: 0 };
      byStatus.set(status, counter);
    }
    counter.n++;
    this.lastLabel = routeLabel;
    this.lastStatus = status;
    this.lastCounter = counter;
  }

  /** Time from the request head (which the edge sends upstream at once) to the upstream's response head. */
  upstreamLatency(seconds: number): void {
    this.upstream.observe(seconds);
  }

  connectionOpened(): void {
    this.openConnections++;
  }

  connectionClosed(): void {
    if (this.openConnections > 0) this.openConnections--;
  }

  /** Adds a gauge read at render time (e.g. route count, container count). `name` must be a valid metric name. */
  gauge(name: string, help: string, read: () => number): void {
    this.extraGauges.set(name, { help, read });
  }

  /** Declares a counter (rendered at 0 until incremented). `name` must be a valid metric name ending in _total. */
  declareCounter(name: string, help: string): void {
    this.counterHelp.set(name, help);
    if (!this.counters.has(name)) this.counters.set(name, new Map());
  }

  /** Adds `by` to a declared counter; label values must come from a bounded set (reasons, directions). */
  increment(name: string, labels: Record<string, string> = {}, by = 1): void {
    let byLabels = this.counters.get(name);
    if (byLabels === undefined) {
      byLabels = new Map();
      this.counters.set(name, byLabels);
    }
    const key = Object.entries(labels)
      .map(([label, value]) => `${label}="${escapeLabel(value)}"`)
      .join(',');
    const counter = byLabels.get(key);
    if (counter === undefined) byLabels.set(key, { n: by });
    else counter.n += by;
  }

  /** A counter another module keeps (read when rendered or sent to the serving worker, so workers' sums hold). */
  counterReadFrom(name: string, help: string, read: () => number): void {
    this.declareCounter(name, help);
    this.readCounters.set(name, read);
  }

  private copyReadCounters(): void {
    for (const [name, read] of this.readCounters) this.counters.set(name, new Map([['', { n: read() }]]));
  }

  snapshot(): MetricsSnapshot {
    this.copyReadCounters();
    const requests: MetricsSnapshot['requests'] = [];
    for (const [route, byStatus] of this.requests) for (const [status, c] of byStatus) requests.push([route, status, c.n]);
    return {
      requests,
      requestDuration: this.requestDuration.snapshot(),
      upstreamLatency: this.upstream.snapshot(),
      openConnections: this.openConnections,
      counters: [...this.counters].flatMap(([name, byLabels]) =>
        [...byLabels].map(([labels, c]): [string, string, number] => [name, labels, c.n]),
      ),
    };
  }

  /** Latest totals of another worker process (replaces its previous snapshot); rendered summed with ours. */
  setWorkerSnapshot(worker: number, snapshot: MetricsSnapshot): void {
    this.workers.set(worker, snapshot);
  }

  render(): string {
    this.copyReadCounters();
    const others = [...this.workers.values()];
    const totals = new Map<string, number>();
    const add = (route: string, status: number, n: number) => {
      const key = `route="${escapeLabel(route)}",status="${status}"`;
      totals.set(key, (totals.get(key) ?? 0) + n);
    };
    for (const [route, byStatus] of this.requests) for (const [status, c] of byStatus) add(route, status, c.n);
    for (const other of others) for (const [route, status, n] of other.requests) add(route, status, n);

    const out: string[] = [
      '# HELP gateway_requests_total HTTP requests answered by the gateway, by route and status.',
      '# TYPE gateway_requests_total counter',
    ];
    for (const [labels, n] of totals) out.push(`gateway_requests_total{${labels}} ${n}`);
    out.push(
      this.requestDuration.render(
        'gateway_request_duration_seconds',
        'Time from request head to the end of the response.',
        others.map((o) => o.requestDuration),
      ),
      this.upstream.render(
        'gateway_upstream_latency_seconds',
        'Time from a request head, sent upstream as it arrives, to the upstream response head.',
        others.map((o) => o.upstreamLatency),
      ),
      '# HELP gateway_open_connections Client connections currently open.',
      '# TYPE gateway_open_connections gauge',
      `gateway_open_connections ${others.reduce((sum, o) => sum + o.openConnections, this.openConnections)}`,
    );
    out.push(...this.renderCounters(others));
    for (const [name, gauge] of this.extraGauges) {
      out.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`, `${name} ${gauge.read()}`);
    }
    const memory = process.memoryUsage();
    out.push(
      '# HELP process_resident_memory_bytes Resident set size in bytes (this process).',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
      '# HELP nodejs_heap_used_bytes V8 heap in use, in bytes (this process).',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${memory.heapUsed}`,
      '# HELP nodejs_external_memory_bytes Memory held outside the V8 heap (buffers), in bytes (this process).',
      '# TYPE nodejs_external_memory_bytes gauge',
      `nodejs_external_memory_bytes ${memory.external}`,
      '# HELP process_uptime_seconds Seconds since the process started.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${process.uptime()}`,
      '# HELP gateway_workers_reporting Worker processes whose counters are included (1 = single process).',
      '# TYPE gateway_workers_reporting gauge',
      `gateway_workers_reporting ${1 + others.length}`,
    );
    return `${out.join('\n')}\n`;
  }

  private renderCounters(others: MetricsSnapshot[]): string[] {
    const totals = new Map<string, Map<string, number>>();
    const add = (name: string, labels: string, n: number) => {
      let byLabels = totals.get(name);
      if (byLabels === undefined) {
        byLabels = new Map();
        totals.set(name, byLabels);
      }
      byLabels.set(labels, (byLabels.get(labels) ?? 0) + n);
    };
    for (const [name, byLabels] of this.counters) {
      if (byLabels.size === 0) add(name, '', 0);
      for (const [labels, c] of byLabels) add(name, labels, c.n);
    }
    for (const other of others) for (const [name, labels, n] of other.counters ?? []) add(name, labels, n);
    const out: string[] = [];
    for (const [name, byLabels] of totals) {
      out.push(`# HELP ${name} ${this.counterHelp.get(name) ?? name}`, `# TYPE ${name} counter`);
      for (const [labels, n] of byLabels) out.push(labels === '' ? `${name} ${n}` : `${name}{${labels}} ${n}`);
    }
    return out;
  }
}
