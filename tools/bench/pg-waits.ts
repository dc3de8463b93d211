import type pg from 'pg';

/** Share of the sampled time PostgreSQL backends running a statement spent in each wait event (`CPU`: none). */
export type WaitShares = Array<{ wait: string; share: number }>;

export interface PgWaitSampler {
  /** Stops sampling; the shares over all samples, largest first, and the mean number of such backends. */
  stop(): Promise<{ samples: number; meanActive: number; shares: WaitShares }>;
}

/**
 * Samples `pg_stat_activity` every `everyMs` on `client`'s database for the backends running a statement that
 * contains `queryPart`: where a round trip's time goes inside PostgreSQL (WAL flush, row locks, CPU), which the
 * service's histograms cannot tell apart. One connection and a tiny query per sample: cheap next to the load.
 */
export function samplePgWaits(client: pg.Client, queryPart: string, everyMs = 25): PgWaitSampler {
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ wait: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND position($1 in query) > 0`,
        [queryPart],
      );
      samples += 1;
      for (const { wait } of rows) counts.set(wait, (counts.get(wait) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const shares = [...counts.entries()].map(([wait, n]) => ({ wait, share: total ? n / total : 0 })).sort((a, b) => b.share - a.share);
      return { samples, meanActive: samples ? total / samples : 0, shares };
    },
  };
}
