import { randomUUID } from 'node:crypto';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { Logger } from '@edd/logger';
import { applyConditions, pruneAlerts, pruneLogErrors, recentErrorCounts, type AlertRow } from '../data/alerts';
import type { Snapshot } from '../sources/metric-source';
import { DEFAULT_THRESHOLDS, emptyMemory, evaluateRules, type RuleMemory, type Thresholds } from './rules';
import { postWebhook } from './webhook';

export interface AlertEngineOptions {
  db: Database;
  bus: Pick<EventBus, 'publish'>;
  logger: Logger;
  /** The admins' user ids (every alert goes to them). */
  admins: () => Promise<string[]>;
  webhookUrl?: string;
  thresholds?: Thresholds;
}

export interface AlertEngine {
  /** Evaluates one sample (the leader calls it after storing the sample); returns what changed. */
  evaluate(snapshot: Snapshot): Promise<{ fired: AlertRow[]; resolved: AlertRow[] }>;
}

/**
 * Runs the rules on the leader: conditions → the alert book (PostgreSQL, so a new leader continues the same episodes
 * and cooldowns) → a `notify` event per recipient for each announced episode, and the webhook for every change.
 */
export function createAlertEngine(options: AlertEngineOptions): AlertEngine {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  let memory: RuleMemory = emptyMemory();
  let lastPrune = 0;

  async function announce(alert: AlertRow): Promise<void> {
    let recipients: string[];
    try {
      recipients = await options.admins();
    } catch (error) {
      options.logger.warn('alerts: admin list unavailable, telling the owner only', { error: String(error) });
      recipients = [];
    }
    if (alert.ownerId) recipients = [...recipients, alert.ownerId];
    for (const userId of new Set(recipients)) {
      await options.bus.publish('notify', {
        notificationId: randomUUID(),
        userId,
        title: `${alert.severity === 'critical' ? 'Critical' : 'Warning'}: ${alert.title}`,
        message: alert.message,
        category: 'alert',
        link: '/health',
        source: 'health',
      });
    }
  }

  async function webhook(alert: AlertRow): Promise<void> {
    if (!options.webhookUrl) return;
    await postWebhook(options.webhookUrl, alert).catch((error: unknown) =>
      options.logger.warn('alerts: webhook failed', { alertId: alert.id, error: String(error) }),
    );
  }

  return {
    async evaluate(snapshot) {
      const now = snapshot.collectedAt;
      const errors = await recentErrorCounts(options.db, new Date(now.getTime() - thresholds.errorBurstWindowMs));
      const result = evaluateRules(snapshot, errors, memory, thresholds);
      memory = result.memory;
      const changes = await applyConditions(options.db, result.active, now);
      for (const alert of changes.fired) {
        options.logger.warn('alert fired', { rule: alert.rule, subject: alert.subject, announced: alert.notified });
        if (alert.notified) await announce(alert).catch((error: unknown) => options.logger.error('alerts: notify failed', { error }));
        await webhook(alert);
      }
      for (const alert of changes.resolved) {
        options.logger.info('alert resolved', { rule: alert.rule, subject: alert.subject });
        await webhook(alert);
      }
      if (now.getTime() - lastPrune > 3600_000) {
        lastPrune = now.getTime();
        await pruneAlerts(options.db, now);
        await pruneLogErrors(options.db, now);
      }
      return changes;
    },
  };
}
