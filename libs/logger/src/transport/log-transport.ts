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
  /** Where the transport reports its own trouble (never the logger itself: that would loop). Default stderr, once a minute at most. */
  report?: (message: string) => void;
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
  private readonly timer: NodeJS.Timeout;
  private sending = false;
  private failures = 0;
  private retryAt = 0;
  private lastReport = 0;
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
    if (this.sending || !this.lines.length || Date.now() < this.retryAt) return;
    this.sending = true;
    const taken = this.lines.splice(0, this.maxBatch * BATCHES_PER_CALL);
    try {
      const entries = taken.map(lineToEntry).filter((entry): entry is WireLogEntry => entry !== undefined);
      await this.push(entries);
      this.counters.sent += entries.length;
      this.failures = 0;
      this.retryAt = 0;
    } catch (err) {
      this.counters.failedCalls += 1;
      this.failures += 1;
      this.retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 10));
      // Back at the front, as far as the bound allows; what does not fit is dropped (and counted).
      const room = Math.max(0, this.maxBuffered - this.lines.length);
      this.counters.dropped += taken.length - Math.min(room, taken.length);
      this.lines = taken.slice(taken.length - Math.min(room, taken.length)).concat(this.lines);
      this.reportTrouble(err);
    } finally {
      this.sending = false;
    }
  }

  /** Sends what is left (best effort, bounded by the call deadline) and closes the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.timer);
    this.retryAt = 0;
    while (this.sending) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.flush();
    this.closed = true;
    this.client.close();
  }

  private push(entries: WireLogEntry[]): Promise<void> {
    if (!entries.length) return Promise.resolve();
    const metadata = new grpc.Metadata();
    metadata.set('x-service-key', this.options.serviceKey);
    return new Promise<void>((resolve, reject) => {
      const call = this.client.makeClientStreamRequest(
        '/logging.LogService/PushLogs',
        (batch: Buffer) => batch,
        (bytes: Buffer) => bytes,
        metadata,
        { deadline: Date.now() + this.callTimeoutMs },
        (error) => (error ? reject(error) : resolve()),
      );
      for (let i = 0; i < entries.length; i += this.maxBatch) call.write(encodeLogBatch(entries.slice(i, i + this.maxBatch)));
      call.end();
    });
  }

  private reportTrouble(err: unknown): void {
    const now = Date.now();
    if (now - this.lastReport < REPORT_EVERY_MS) return;
    this.lastReport = now;
    const message = `log transport: sending to the log service failed (${err instanceof Error ? err.message : String(err)}); ${this.counters.dropped} lines dropped so far`;
    if (this.options.report) this.options.report(message);
    else process.stderr.write(`${JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg: message })}\n`);
  }
}

const shared = new Map<string, LogTransport>();

/** One transport per target in a process (every logger of a service shares it). */
export function sharedLogTransport(target: string, serviceKey: string): LogTransport {
  let transport = shared.get(target);
  if (!transport) {
    transport = new LogTransport({ target, serviceKey });
    shared.set(target, transport);
  }
  return transport;
}

/** The transport `LOG_SERVICE_URL` (with `SERVICE_API_KEY`) turns on, or undefined. */
export function transportFromEnv(env: NodeJS.ProcessEnv = process.env): LogTransport | undefined {
  const target = env['LOG_SERVICE_URL'];
  if (!target) return undefined;
  return sharedLogTransport(target, env['SERVICE_API_KEY'] ?? '');
}
