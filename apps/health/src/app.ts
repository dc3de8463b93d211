import { createServiceApp } from '@edd/http';
import { serviceAppOptions } from '@edd/service-runtime';
import type { HealthDeps } from './context';
import { readLatestSnapshot } from './data/samples';
import { HealthFeed } from './live/health-feed';
import { mountLiveRoutes } from './live/live-routes';
import { mountAlertRoutes } from './routes/alerts';
import { mountCurrentRoutes } from './routes/current';
import { mountHistoryRoutes } from './routes/metrics-history';

/**
 * The cluster monitor's API: the latest sample, history, alerts and live streams. Everything is read from health_db,
 * so every replica answers the same; `feed` is this replica's live connections (see start-monitor.ts).
 */
export function createApp(deps: HealthDeps) {
  const feed = new HealthFeed(() => readLatestSnapshot(deps.db));
  const app = createServiceApp(serviceAppOptions('health', deps), (routes) => {
    mountCurrentRoutes(routes, deps);
    mountHistoryRoutes(routes, deps);
    mountAlertRoutes(routes, deps);
    mountLiveRoutes(routes, deps, feed);
  });
  return Object.assign(app, { feed });
}
