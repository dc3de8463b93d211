import { Gauge, type Registry } from 'prom-client';

export const BACKLOG_METRIC = 'edd_outbox_backlog';

/** Events written but not yet published, counted when Prometheus scrapes (a growing value means NATS is away). */
export function registerBacklogGauge(registry: Registry, count: () => Promise<number>): void {
  if (registry.getSingleMetric(BACKLOG_METRIC)) return;
  new Gauge({
    name: BACKLOG_METRIC,
    help: 'Events in the transactional outbox not yet published to NATS',
    registers: [registry],
    async collect() {
      this.set(await count());
    },
  });
}
