import type { Database } from '@edd/db';
import type { Logger } from '@edd/logger';
import { pruneSamples, recordSnapshot, rollUp, RAW_RETENTION_MS } from '../data/samples';
import type { MetricSource, Snapshot } from '../sources/metric-source';
import type { LeaderLock } from './leader-lock';

export interface SamplerOptions {
  db: Database;
  source: MetricSource;
  leader: LeaderLock;
  logger: Logger;
  /** Default 5 s. */
  intervalMs?: number;
  /** How often old samples are deleted (default 1 min). */
  pruneEveryMs?: number;
  /** After a sample is stored: the leader's events and alerts. A failure is logged, never stops sampling. */
  afterSample?: (snapshot: Snapshot) => Promise<void>;
}

export interface Sampler {
  /** Samples taken by this replica. */
  readonly taken: number;
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, only on the replica holding the leader lock: collect, store (raw + roll-ups), then
 * `afterSample`. A replica that just became leader first rolls up the last 24 h (what the previous leader may have
 * left unrolled).
 */
export function startSampler(options: SamplerOptions): Sampler {
  const intervalMs = options.intervalMs ?? 5_000;
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  let taken = 0;
  let stopped = false;
  let wasLeading = false;
  let lastPrune = 0;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  async function tick(): Promise<void> {
    if (!(await options.leader.confirm())) {
      wasLeading = false;
      return;
    }
    const snapshot = await options.source.collect();
    // The lock may have gone while collecting: never store a second leader's sample.
    if (stopped || !(await options.leader.confirm())) return;
    await recordSnapshot(options.db, snapshot);
    taken += 1;
    const now = snapshot.collectedAt;
    const since = wasLeading ? new Date(now.getTime() - 15 * 60_000) : new Date(now.getTime() - RAW_RETENTION_MS);
    wasLeading = true;
    await rollUp(options.db, since);
    if (now.getTime() - lastPrune >= pruneEveryMs) {
      lastPrune = now.getTime();
      await pruneSamples(options.db, now);
    }
    await options.afterSample?.(snapshot);
  }

  const loop = () => {
    running = tick()
      .catch((error: unknown) => options.logger.error('sampler: sample failed', { error }))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  loop();

  return {
    get taken() {
      return taken;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
