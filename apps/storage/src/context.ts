import type { AuthClient } from '@edd/auth-client';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { ReadinessCheck } from '@edd/http';
import type { LiveAuth, LiveHub } from '@edd/live';
import type { Logger } from '@edd/logger';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { BlobStore } from './blobs';
import type { StorageConfig } from './config';

/** Everything storage's routes use: what startService connected, plus the blob store. */
export interface StorageDeps {
  config: StorageConfig;
  logger: Logger;
  db: Database;
  redis: Redis;
  blobs: BlobStore;
  auth: AuthClient;
  liveAuth: LiveAuth;
  live: LiveHub;
  readiness: ReadinessCheck[];
  /** Prefix of storage's Redis keys and channels (`storage:`; tests isolate themselves with their own). */
  redisPrefix: string;
  metrics?: Registry;
  /** Only for the user-deleted consumer (routes never publish directly: events go through the outbox). */
  bus?: EventBus;
}
