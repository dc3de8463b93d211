import type { AuthClient } from '@edd/auth-client';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { ReadinessCheck } from '@edd/http';
import type { LiveAuth, LiveHub } from '@edd/live';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';
import type { HealthConfig } from './config';

/** What health's routes use: what startService connected. */
export interface HealthDeps {
  config: HealthConfig;
  logger: Logger;
  db: Database;
  bus: EventBus;
  auth: AuthClient;
  liveAuth: LiveAuth;
  live: LiveHub;
  readiness: ReadinessCheck[];
  metrics?: Registry;
}
