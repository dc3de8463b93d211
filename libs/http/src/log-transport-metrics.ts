import { logTransportStats } from '@edd/logger';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The log-service transport's counters (@edd/logger's, one per process, all zero without LOG_SERVICE_URL), read at
 * scrape time: dropped lines are what an operator must see, since the transport never reports through the logger.
 */
export function registerLogTransportMetrics(registry: Registry): void {
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counter('log_transport_sent_total', 'Log lines the log service accepted.', () => logTransportStats().sent);
  counter(
    'log_transport_dropped_total',
    'Log lines dropped: the buffer was full (log service slow or away) or the process was closing.',
    () => logTransportStats().dropped,
  );
  counter('log_transport_failed_calls_total', 'PushLogs calls that failed (retried with backoff).', () => logTransportStats().failedCalls);
  new Gauge({
    name: 'log_transport_buffered',
    help: 'Log lines waiting to be sent to the log service.',
    registers: [registry],
    collect() {
      this.set(logTransportStats().buffered);
    },
  });
}
