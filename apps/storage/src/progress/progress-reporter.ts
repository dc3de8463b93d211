import type { TransferDirection } from '@edd/api-contracts';
import type { Logger } from '@edd/logger';
import type { Redis } from 'ioredis';
import { publishProgress } from './progress-channel';

const MIN_STEP_BYTES = 64 * 1024;
const MAX_STEP_BYTES = 10 * 1024 * 1024;
const MAX_SILENCE_MS = 500;

export interface ProgressReporter {
  /** `bytes` more went through. */
  advance(bytes: number): void;
  finish(): void;
  fail(error: string): void;
}

/** Reports nothing: a transfer without an id. */
export const silentReporter: ProgressReporter = { advance: () => undefined, finish: () => undefined, fail: () => undefined };

/**
 * Publishes a transfer's progress through Redis, so the SSE stream may be on another replica. The first report goes
 * at once; then one per step (1 % of the total, between 64 KiB and 10 MiB) or every 500 ms, whichever comes first;
 * the last carries `done` (and `error` on failure). Publishing never slows or fails the transfer.
 */
export function createProgressReporter(options: {
  redis: Redis;
  prefix: string;
  id: string;
  direction: TransferDirection;
  total: number;
  logger: Logger;
}): ProgressReporter {
  const step = Math.max(MIN_STEP_BYTES, Math.min(Math.floor(options.total / 100), MAX_STEP_BYTES));
  let bytes = 0;
  let reportedBytes = 0;
  let reportedAt = 0;
  let ended = false;
  const send = (extra: { done: boolean; error?: string }) => {
    reportedBytes = bytes;
    reportedAt = Date.now();
    publishProgress(options.redis, options.prefix, {
      id: options.id,
      direction: options.direction,
      bytes,
      total: Math.max(options.total, bytes),
      ...extra,
    }).catch((error: unknown) => options.logger.warn('progress not published', { error: String(error), transfer: options.id }));
  };
  send({ done: false });
  return {
    advance(n) {
      if (ended) return;
      bytes += n;
      if (bytes - reportedBytes >= step || Date.now() - reportedAt >= MAX_SILENCE_MS) send({ done: false });
    },
    finish() {
      if (ended) return;
      ended = true;
      send({ done: true });
    },
    fail(error) {
      if (ended) return;
      ended = true;
      send({ done: true, error });
    },
  };
}
