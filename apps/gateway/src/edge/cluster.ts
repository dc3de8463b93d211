import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from '@edd/logger';

/** GATEWAY_WORKERS: 0 means one worker per core; 1 means no cluster at all (single process). */
export function workerCount(configured: number | undefined): number {
  if (configured === undefined || configured === 1) return 1;
  return configured === 0 ? availableParallelism() : Math.max(1, configured);
}

/**
 * Multi-core mode. With `count` > 1 the primary forks `count` workers (restarting any that dies, with a
 * small back-off) and resolves `'primary'`; each worker runs `startWorker` and the kernel/cluster module
 * shares the listening sockets between them. With `count` <= 1 it simply runs `startWorker` here.
 * Workers get GATEWAY_WORKER_INDEX (0..count-1), stable across restarts, e.g. to run the admin port on 0.
 */
export async function runWorkers(count: number, startWorker: () => Promise<void>, logger: Logger): Promise<'primary' | 'worker'> {
  if (count <= 1 || !cluster.isPrimary) {
    await startWorker();
    return 'worker';
  }
  let stopping = false;
  const fork = (index: number): void => {
    const worker = cluster.fork({ GATEWAY_WORKER_INDEX: String(index) });
    const startedAt = Date.now();
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      logger.error('gateway worker exited', { index, code, signal });
      // A worker that dies at once would otherwise be restarted in a tight loop.
      const delay = Date.now() - startedAt < 5_000 ? 1_000 : 0;
      setTimeout(() => fork(index), delay).unref();
    });
  };
  for (let i = 0; i < count; i++) fork(i);
  const stop = (signal: NodeJS.Signals): void => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  cluster.on('exit', () => {
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
  logger.info('gateway primary forked workers', { workers: count });
  return 'primary';
}
