import type { AuthClient } from '@edd/auth-client';
import type { Database } from '@edd/db';
import type { EventBus } from '@edd/events';
import type { ReadinessCheck } from '@edd/http';
import type { LiveAuth, LiveHub } from '@edd/live';
import type { Logger } from '@edd/logger';
import type { Registry } from 'prom-client';
import type { ComputeConfig } from './config';
import type { Sealer } from './crypto/sealing';
import type { ContainerRuntime } from './runtime/container-runtime';

/** Everything compute's routes use: what startService connected, plus the runtime and the key sealer. */
export interface ComputeDeps {
  config: ComputeConfig;
  logger: Logger;
  db: Database;
  auth: AuthClient;
  liveAuth: LiveAuth;
  live: LiveHub;
  readiness: ReadinessCheck[];
  runtime: ContainerRuntime;
  sealer: Sealer;
  /** Tells the reconciler a container's desired state changed, so it acts now rather than at its next round. */
  kick: (containerId: string) => void;
  metrics?: Registry;
  /** Consumers and the live fan-out only (routes never publish directly: events go through the outbox). */
  bus?: EventBus;
}
