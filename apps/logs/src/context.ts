import type { AuthClient } from '@edd/auth-client';
import type { ServiceConfig } from '@edd/config';
import type { Database } from '@edd/db';
import type { ReadinessCheck } from '@edd/http';
import type { LiveAuth, LiveHub } from '@edd/live';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';
import type { LiveTier } from './live/live-tier';

/** Everything the log service's routes use: what startService connected, plus the live tier. */
export interface LogsDeps {
  config: ServiceConfig;
  logger: Logger;
  db: Database;
  auth: AuthClient;
  liveAuth: LiveAuth;
  live: LiveHub;
  readiness: ReadinessCheck[];
  metrics?: Registry;
  liveTier: LiveTier;
}
