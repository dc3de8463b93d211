import * as grpc from '@grpc/grpc-js';
import { encodeLogBatch } from './log-batch-encoding';
import type { WireLogEntry } from './log-batch-encoding';
import { lineToEntry } from './log-line';

export interface LogTransportOptions {
  /** `host:port` of the log service's gRPC port (a `grpc://` or `http://` prefix is dropped). */
  target: string;
  /** Sent as `x-service-key`. */
  serviceKey: string;
  /** Lines held while the log service is slow or away; beyond it new lines are dropped (and counted). Default 10,000. */
  maxBuffered?: number;
  /** Entries per LogBatch message. Default 500. */
  maxBatch?: number;
  /** How often buffered lines are sent. Default 200 ms. */
  flushIntervalMs?: number;
  /** Deadline of one PushLogs call. Default 5 s. */
  callTimeoutMs?: number;
  /** How long drain() (a process about to exit) waits at most by default. Default 2 s. */
  drainTimeoutMs?: number;
  /** Where the transport reports its own trouble (never the logger itself: that would loop). Default stderr, once a minute at most. */
  report?: (message: string) => void;
  /**
   * An outage that has dropped no line is reported only once it has lasted this long: the log service starting after
   * the others, or restarting, is not worth a warning in every service. Default 15 s.
   */
  quietOutageMs?: number;
}

export interface LogTransportStats {
  sent: number;
  dropped: number;
  failedCalls: number;
  buffered: number;
}

const BATCHES_PER_CALL = 4;
const MAX_BACKOFF_MS = 10_000;
const REPORT_EVERY_MS = 60_000;
const QUIET_OUTAGE_MS = 15_000;
/** How long a process about to exit waits for its buffered lines to reach the log service. */
const DRAIN_TIMEOUT_MS = 2_000;
const MAX_DRAIN_TIMEOUT_MS = 60_000;

/** Resolves when `promise` settled or at `deadline`, whichever comes first. */
function settledBy(promise: Promise<unknown>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  return Promise.race([promise.then(() => undefined), expired]).finally(() => clearTimeout(timer));
}

/**
 * Ships the logger's lines to the log service (PushLogs), off the caller's path: `write` only appends the line
 * (already serialized by pino) to a bounded buffer; parsing, encoding and the call happen on a timer. It never
 * throws and never blocks: a full buffer drops the line and counts it; a failed call is retried with backoff.
 */
export class LogTransport {
  private lines: string[] = [];
  private readonly client: grpc.Client;
  private readonly maxBuffered: number;
  private readonly maxBatch: number;
  private readonly callTimeoutMs: number;
  /** What drain() waits at most when not told. */
  readonly drainTimeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private inFlight: Promise<boolean> | undefined;
  private failures = 0;
  private retryAt = 0;
  private lastReport = 0;
  /** When the calls started failing (Date.now()), 0 while they succeed. */
  private failingSince = 0;
  private closed = false;
  private readonly counters = { sent: 0, dropped: 0, failedCalls: 0 };

  constructor(private readonly options: LogTransportOptions) {
    const target = options.target.replace(/^(grpc|http):\/\//, '');
    this.client = new grpc.Client(target, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': 4 * 1024 * 1024,
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': MAX_BACKOFF_MS,
    });
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.maxBatch = options.maxBatch ?? 500;
    this.callTimeoutMs = options.callTimeoutMs ?? 5_000;
    this.drainTimeoutMs = options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  /** pino's destination interface: one serialized line per call. */
  write(line: string): boolean {
    if (this.closed || this.lines.length >= this.maxBuffered) this.counters.dropped += 1;
    else this.lines.push(line);
    return true;
  }

  stats(): LogTransportStats {
    return { ...this.counters, buffered: this.lines.length };
  }

  /** Sends what is buffered (one call at a time); resolves when that call settled. */
  async flush(): Promise<void> {
    if (this.inFlight || !this.lines.length || Date.now() < this.retryAt) return;
    await this.sendChunk(Date.now() + this.callTimeoutMs);
  }

  /**
   * Sends everything buffered, chunk after chunk, ignoring the retry backoff, until the buffer is empty, a call
   * fails (the log service is away: waiting longer would only delay an exit) or `timeoutMs` passed. What a process
   * awaits before it exits; resolves with the number of lines left unsent.
   */
  async drain(timeoutMs = this.drainTimeoutMs): Promise<number> {
    if (this.closed) return this.lines.length;
    const deadline = Date.now() + timeoutMs;
    // A call the timer started may have a later deadline than ours: wait for it only as long as we may.
    if (this.inFlight) await settledBy(this.inFlight, deadline);
    while (!this.inFlight && this.lines.length && Date.now() < deadline) {
      if (!(await this.sendChunk(deadline))) break;
    }
    return this.lines.length;
  }

  /** Sends what is left (bounded by the call deadline) and closes the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    await this.drain(this.callTimeoutMs);
    this.closed = true;
    this.client.close();
  }

  /** One PushLogs call with the next chunk of lines; resolves true when the log service accepted it. */
  private sendChunk(deadline: number): Promise<boolean> {
    const call = this.send(this.lines.splice(0, this.maxBatch * BATCHES_PER_CALL), deadline);
    this.inFlight = call;
    // Registered before any caller's await, so a caller resuming after the call sees it cleared.
    void call.finally(() => {
      if (this.inFlight === call) this.inFlight = undefined;
    });
    return call;
  }

  private async send(taken: string[], deadline: number): Promise<boolean> {
    try {
      const entries = taken.map(lineToEntry).filter((entry): entry is WireLogEntry => entry !== undefined);
      await this.push(entries, Math.min(deadline, Date.now() + this.callTimeoutMs));
      this.counters.sent += entries.length;
      this.failures = 0;
      this.retryAt = 0;
      this.failingSince = 0;
      return true;
    } catch (err) {
      this.counters.failedCalls += 1;
      this.failures += 1;
      if (this.failingSince === 0) this.failingSince = Date.now();
      this.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 10));
      // Back at the front, as far as the bound allows; what does not fit is dropped (and counted).
      const room = Math.max(0, this.maxBuffered - this.lines.length);
      this.counters.dropped += taken.length - Math.min(room, taken.length);
      this.lines = taken.slice(taken.length - Math.min(room, taken.length)).concat(this.lines);
      this.reportTrouble(err);
      return false;
    }
  }

  private push(entries: WireLogEntry[], deadline: number): Promise<void> {
    if (!entries.length) return Promise.resolve();
    const metadata = new grpc.Metadata();
    metadata.set('x-service-key', this.options.serviceKey);
    return new Promise<void>((resolve, reject) => {
      const call = this.client.makeClientStreamRequest(
        '/logging.LogService/PushLogs',
        (batch: Buffer) => batch,
        (bytes: Buffer) => bytes,
        metadata,
        { deadline },
        (error) => (error ? reject(error) : resolve()),
      );
      for (let i = 0; i < entries.length; i += this.maxBatch) call.write(encodeLogBatch(entries.slice(i, i + this.maxBatch)));
      call.end();
    });
  }

  private reportTrouble(err: unknown): void {
    const now = Date.now();
    if (this.counters.dropped === 0 && now - this.failingSince < (this.options.quietOutageMs ?? QUIET_OUTAGE_MS)) return;
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const message = `log transport: sending to the log service failed (${err instanceof Error ? err.message : String(err)}); ${this.counters.dropped} lines dropped so far`;
    if (this.options.report) this.options.report(message);
    else process.stderr.write(`${JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg: message })}\n`);
  }
}

const shared = new Map<string, LogTransport>();

/** One transport per target in a process (every logger of a service shares it). */
export function sharedLogTransport(target: string, serviceKey: string, drainTimeoutMs?: number): LogTransport {
  let transport = shared.get(target);
  if (!transport) {
    transport = new LogTransport({ target, serviceKey, ...(drainTimeoutMs !== undefined ? { drainTimeoutMs } : {}) });
    shared.set(target, transport);
  }
  return transport;
}

/**
 * Drains every shared transport of the process (bounded by `timeoutMs`, default each one's `drainTimeoutMs`): the
 * last step of a graceful shutdown, so the lines logged just before the exit reach the log service. Resolves with
 * the lines left unsent.
 */
export async function drainLogTransports(timeoutMs?: number): Promise<number> {
  const unsent = await Promise.all([...shared.values()].map((transport) => transport.drain(timeoutMs)));
  return unsent.reduce((sum, n) => sum + n, 0);
}

/** The shared transports' counters added up (all zero without LOG_SERVICE_URL): what a service's `/metrics` shows. */
export function logTransportStats(): LogTransportStats {
  const total: LogTransportStats = { sent: 0, dropped: 0, failedCalls: 0, buffered: 0 };
  for (const transport of shared.values()) {
    const stats = transport.stats();
    total.sent += stats.sent;
    total.dropped += stats.dropped;
    total.failedCalls += stats.failedCalls;
    total.buffered += stats.buffered;
  }
  return total;
}

/**
 * The transport `LOG_SERVICE_URL` (with `SERVICE_API_KEY`) turns on, or undefined. `LOG_DRAIN_TIMEOUT_MS` (1 to
 * 60,000; default 2,000) bounds the drain at exit.
 */
export function transportFromEnv(env: NodeJS.ProcessEnv = process.env): LogTransport | undefined {
  const target = env['LOG_SERVICE_URL'];
  if (!target) return undefined;
  const drainMs = Number(env['LOG_DRAIN_TIMEOUT_MS']);
  const valid = Number.isInteger(drainMs) && drainMs > 0 && drainMs <= MAX_DRAIN_TIMEOUT_MS;
  return sharedLogTransport(target, env['SERVICE_API_KEY'] ?? '', valid ? drainMs : undefined);
}
