import type { AuthClient } from '@edd/auth-client';
import type { ServiceConfig } from '@edd/config';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { ReadinessCheck } from '@edd/http';
import type { LiveAuth, LiveHub } from '@edd/live';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';

/** What notifications' routes, intake and live delivery use: what startService connected. */
export interface NotificationsDeps {
  config: ServiceConfig;
  logger: Logger;
  db: Database;
  bus: EventBus;
  auth: AuthClient;
  liveAuth: LiveAuth;
  live: LiveHub;
  readiness: ReadinessCheck[];
  metrics?: Registry;
}
