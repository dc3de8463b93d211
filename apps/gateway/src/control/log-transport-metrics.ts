import { logTransportStats } from '@edd/logger';
import type { GatewayMetrics } from './metrics';

/** The log-service transport's counters under the names every other service's /metrics uses (@edd/http). */
export function registerLogTransportMetrics(metrics: GatewayMetrics): void {
  metrics.counterReadFrom('log_transport_sent_total', 'Log lines the log service accepted.', () => logTransportStats().sent);
  metrics.counterReadFrom(
    'log_transport_dropped_total',
    'Log lines dropped: the buffer was full (log service slow or away) or the process was closing.',
    () => logTransportStats().dropped,
  );
  metrics.counterReadFrom(
    'log_transport_failed_calls_total',
    'PushLogs calls that failed (retried with backoff).',
    () => logTransportStats().failedCalls,
  );
  metrics.gauge(
    'log_transport_buffered',
    'Log lines waiting to be sent to the log service (this process).',
    () => logTransportStats().buffered,
  );
}
