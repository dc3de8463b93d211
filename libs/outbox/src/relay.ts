import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { Registry } from 'prom-client';
import { registerBacklogGauge } from './backlog-gauge';
import { listenForOutboxInserts } from './outbox-listener';
import { errorMessage, type OutboxLogger } from './queryable';
import { countUnsent, pruneSent, relayBatch, type BatchOutcome } from './relay-batch';

export interface OutboxRelayOptions {
  db: Database;
  bus: EventBus;
  logger: OutboxLogger;
  /** Safety net behind LISTEN/NOTIFY (a lost notification, a listener reconnecting). Default 5000. */
  pollIntervalMs?: number;
  /** Rows per transaction. Default 100. */
  batchSize?: number;
  /** How long sent rows are kept (to look at what went out) before they are deleted. Default 7 days. */
  retentionMs?: number;
  /** Backoff after a failed publish: doubles from `retryMinMs` up to `retryMaxMs`. Defaults 500 and 30000. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Where the `edd_outbox_backlog` gauge (events not yet published, read at each scrape) is registered. */
  metricsRegistry?: Registry;
}

export interface OutboxRelay {
  /** Events waiting to be published (for a metric or a readiness detail). */
  backlog(): Promise<number>;
  /** Stops waking up and waits for the batch in flight; unsent rows stay for the next start. */
  stop(): Promise<void>;
}

const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60_000;
/** When another replica holds the relay lock: look again soon, in case it selected its rows before ours committed. */
const BUSY_RETRY_MS = 250;

/**
 * Publishes what services write with enqueueEvent: woken by NOTIFY right after each commit and by a poll, one
 * batch at a time. While NATS is down rows stay unsent and are retried with backoff; nothing is dropped.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, bus, logger } = options;
  const batchSize = options.batchSize ?? 100;
  if (options.metricsRegistry) registerBacklogGauge(options.metricsRegistry, () => countUnsent(db));
  const retentionMs = options.retentionMs ?? SEVEN_DAYS_MS;
  const retryMinMs = options.retryMinMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 30_000;

  let stopped = false;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  let failures = 0;
  let retryAt = 0;
  let lastPrune = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const wakeAfter = (ms: number): void => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(wake, ms);
    retryTimer.unref();
  };

  const nextBatch = async (): Promise<BatchOutcome> => {
    try {
      return await relayBatch(db, bus, logger, batchSize);
    } catch (error) {
      // The database itself failed (restart, timeout): the same backoff as a NATS outage.
      return { kind: 'failed', published: 0, error: errorMessage(error) };
    }
  };

  const prune = async (): Promise<void> => {
    // Never more often than the retention itself: a shorter retention (tests) prunes on every idle pass.
    if (Date.now() - lastPrune < Math.min(PRUNE_EVERY_MS, retentionMs)) return;
    lastPrune = Date.now();
    await pruneSent(db, retentionMs).catch((error: unknown) => logger.warn('outbox prune failed', { error: errorMessage(error) }));
  };

  const drain = async (): Promise<void> => {
    while (!stopped) {
      const wait = retryAt - Date.now();
      if (wait > 0) return wakeAfter(wait);
      const outcome = await nextBatch();
      if (outcome.kind === 'failed') {
        failures += 1;
        const delay = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures - 1, 20));
        retryAt = Date.now() + delay;
        logger.warn('outbox publish failed; the events stay queued and are retried', { error: outcome.error, failures, retryInMs: delay });
        return wakeAfter(delay);
      }
      if (failures > 0) logger.info('outbox publishing again', { afterFailures: failures });
      failures = 0;
      retryAt = 0;
      if (outcome.kind === 'busy') return wakeAfter(BUSY_RETRY_MS);
      if (!outcome.more) return prune();
    }
  };

  function wake(): void {
    if (stopped) return;
    if (running) {
      wokenWhileRunning = true;
      return;
    }
    running = drain().finally(() => {
      running = undefined;
      if (!wokenWhileRunning) return;
      wokenWhileRunning = false;
      wake();
    });
  }

  const poll = setInterval(wake, options.pollIntervalMs ?? 5_000);
  poll.unref();
  const listener = listenForOutboxInserts(db, wake, logger);
  wake();

  return {
    backlog: () => countUnsent(db),
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(retryTimer);
      await listener.close();
      await running;
    },
  };
}
