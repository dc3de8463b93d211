import { ConfigError, env, loadConfig, serviceConfigProblems, serviceConfigShape } from '@edd/config';
import type { ServiceConfig } from '@edd/config';
import { z } from 'zod';

/** The health service's own variables, on top of serviceConfigShape. */
export const healthConfigShape = {
  ...serviceConfigShape(4004),
  /** What is watched: `host` (this machine and compute's containers) or `kubernetes`; unset = kubernetes when KUBECONFIG is set or inside a pod, host otherwise. */
  HEALTH_SOURCE: env.oneOf(['host', 'kubernetes'] as const).optional(),
  /** How often the leader samples. */
  HEALTH_SAMPLE_INTERVAL_MS: env.int(200, 300_000).default(5_000),
  /** How often a follower tries to become the sampler (a dead leader is replaced within about this plus one sample). */
  HEALTH_LEADER_RETRY_MS: env.int(100, 10_000).default(2_000),
  /** host source: the node's name (default: the hostname) and the path whose filesystem is its disk. */
  HEALTH_NODE_NAME: env.string().optional(),
  HEALTH_DISK_PATH: env.string().default('/'),
  /** host source: compute's internal API, for its containers' usage. */
  COMPUTE_URL: env.url().default('http://127.0.0.1:4003'),
  /** kubernetes source: a kubeconfig file (inside a pod the service account is used). */
  KUBECONFIG: env.string().optional(),
  KUBERNETES_SERVICE_HOST: env.string().optional(),
  /** Alerts are also POSTed here as JSON when set. */
  ALERT_WEBHOOK_URL: env.url().optional(),
};

export type HealthConfig = ServiceConfig & z.infer<z.ZodObject<typeof healthConfigShape>>;

export function loadHealthConfig(source: NodeJS.ProcessEnv = process.env): HealthConfig {
  const config = loadConfig(healthConfigShape, source);
  const problems = serviceConfigProblems(config);
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** HEALTH_SOURCE when set; otherwise a cluster is watched when one is configured. */
export function sourceNameOf(config: HealthConfig): 'host' | 'kubernetes' {
  if (config.HEALTH_SOURCE) return config.HEALTH_SOURCE;
  return config.KUBECONFIG || config.KUBERNETES_SERVICE_HOST ? 'kubernetes' : 'host';
}
