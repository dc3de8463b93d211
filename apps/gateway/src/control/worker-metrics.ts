import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import type { GatewayMetrics, MetricsSnapshot } from './metrics';

/*
 * Multi-core mode: every worker counts its own requests, but only worker 0 serves /metrics. Each worker
 * sends its cumulative snapshot to the primary every few seconds; the primary forwards it to worker 0,
 * which renders the sum. IPC only runs primary <-> worker, hence the relay.
 */

interface MetricsMessage {
  kind: 'gateway-metrics';
  worker: number;
  snapshot: MetricsSnapshot;
}

function isMetricsMessage(message: unknown): message is MetricsMessage {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'gateway-metrics';
}

/** In a cluster worker: report `metrics` to the primary every `intervalMs`; worker 0 also takes the others'. */
export function shareWorkerMetrics(metrics: GatewayMetrics, worker: number, intervalMs = 5_000): { stop(): void } {
  const send = process.send?.bind(process);
  if (!send) return { stop: () => undefined };
  const onMessage = (message: unknown) => {
    if (isMetricsMessage(message) && message.worker !== worker) metrics.setWorkerSnapshot(message.worker, message.snapshot);
  };
  if (worker === 0) process.on('message', onMessage);
  const report = () => {
    const message: MetricsMessage = { kind: 'gateway-metrics', worker, snapshot: metrics.snapshot() };
    send(message, undefined, {}, () => undefined); // the primary may be gone during shutdown
  };
  report();
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      process.off('message', onMessage);
    },
  };
}

/** In the cluster primary: forward every worker's snapshot to worker 0 (learnt from its own reports). */
export function relayWorkerMetrics(): void {
  let first: Worker | undefined;
  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.worker === 0) first = worker;
    else if (first?.isConnected()) first.send(message);
  });
}
