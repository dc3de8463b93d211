import { databaseUrl } from '@edd/db';
import type { Stoppable } from '@edd/events';
import type { Logger } from '@edd/logger';
import { createAdminDirectory } from './alerts/admin-directory';
import { createAlertEngine } from './alerts/alert-engine';
import { consumeLogErrors } from './alerts/log-error-feed';
import type { HealthConfig } from './config';
import type { HealthDeps } from './context';
import type { HealthFeed } from './live/health-feed';
import { publishClusterEvents } from './sampler/cluster-events';
import { SAMPLER_LOCK_KEY, startLeaderLock, type LeaderLock } from './sampler/leader-lock';
import { startSampler, type Sampler } from './sampler/sampler';
import type { MetricSource } from './sources/metric-source';

export interface Monitor {
  leader: LeaderLock;
  sampler: Sampler;
  stop(): Promise<void>;
}

export interface MonitorOptions {
  deps: Pick<HealthDeps, 'db' | 'bus'>;
  config: HealthConfig;
  logger: Logger;
  source: MetricSource;
  feed: HealthFeed;
  /** The admins' user ids (default: auth's user list). */
  admins?: () => Promise<string[]>;
  /** The log-error consumer's durable name (tests give each instance group its own). */
  logErrorDurable?: string;
}

/**
 * Everything behind the API: the leader election, the sampler (store, events, alerts on the leader only), the feed
 * every replica follows for its live connections, and the log-error consumer every replica shares.
 */
export async function startMonitor(options: MonitorOptions): Promise<Monitor> {
  const { deps, config, logger, source, feed } = options;
  const follow: Stoppable = await feed.follow(deps.bus);
  const logErrors: Stoppable = await consumeLogErrors(deps.bus, deps.db, options.logErrorDurable);
  const alerts = createAlertEngine({
    db: deps.db,
    bus: deps.bus,
    logger,
    admins: options.admins ?? createAdminDirectory({ authUrl: config.AUTH_URL, serviceKey: config.SERVICE_API_KEY }),
    ...(config.ALERT_WEBHOOK_URL ? { webhookUrl: config.ALERT_WEBHOOK_URL } : {}),
  });
  const leader = startLeaderLock({
    databaseUrl: databaseUrl(config.DATABASE_URL, deps.db.name),
    lockKey: SAMPLER_LOCK_KEY,
    retryMs: config.HEALTH_LEADER_RETRY_MS,
    logger,
  });
  const sampler = startSampler({
    db: deps.db,
    source,
    leader,
    logger,
    intervalMs: config.HEALTH_SAMPLE_INTERVAL_MS,
    afterSample: async (snapshot) => {
      // Events are best effort (the sample is stored whatever happens); alerts run even when NATS is down.
      await publishClusterEvents(deps.bus, snapshot).catch((error: unknown) =>
        logger.warn('cluster events not published', { error: String(error) }),
      );
      await alerts.evaluate(snapshot);
    },
  });
  return {
    leader,
    sampler,
    async stop() {
      await sampler.stop();
      await leader.stop();
      await logErrors.stop();
      await follow.stop();
      await source.close();
    },
  };
}
