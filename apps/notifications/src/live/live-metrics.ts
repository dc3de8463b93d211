import { Histogram, type Registry } from 'prom-client';

const HOP_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

/** Broadcast by the intake's replica → heard by this one (core NATS hop and this replica's event loop). */
export type LiveHopMetric = (sentAt: number) => void;

export function liveHopMetric(registry: Registry | undefined): LiveHopMetric {
  if (!registry) return () => undefined;
  const hop = new Histogram({
    name: 'notifications_live_hop_seconds',
    help: 'From a replica broadcasting a stored notification to this replica hearing it (for a user with a socket here).',
    buckets: HOP_BUCKETS,
    registers: [registry],
  });
  return (sentAt) => hop.observe(Math.max(0, (Date.now() - sentAt) / 1000));
}
