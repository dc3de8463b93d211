import { ConfigError, env, loadConfig, serviceConfigProblems, serviceConfigShape } from '@edd/config';
import type { ServiceConfig } from '@edd/config';
import { z } from 'zod';
import { createSealer, type Sealer } from './crypto/sealing';
import { kubernetesRuntimeConfigShape } from './runtime/kubernetes/config';

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * Development only: private keys are still sealed (the code path is the same), under a key everyone can read in this
 * file. A production process refuses to start without its own COMPUTE_KEY_ENCRYPTION_SECRET.
 */
export const DEV_KEY_ENCRYPTION_SECRET = 'edd-cloud compute DEVELOPMENT sealing secret, not for production';

/** Compute's own variables, on top of serviceConfigShape. */
export const computeConfigShape = {
  ...serviceConfigShape(4003),
  ...kubernetesRuntimeConfigShape,
  /** Which runtime runs containers: `sandbox`, `kubernetes` or `docker`; unset = detected. */
  COMPUTE_RUNTIME: env.oneOf(['sandbox', 'kubernetes', 'docker'] as const).optional(),
  /** Live containers (not deleted) one user may have. */
  COMPUTE_MAX_CONTAINERS: env.int(0, 1000).default(3),
  /** Seals the containers' private keys at rest (AES-256-GCM); required in production. */
  COMPUTE_KEY_ENCRYPTION_SECRET: z.string().min(16).optional(),
  /** The gateway's SSH port, shown in `ssh_command`. */
  COMPUTE_SSH_PORT: env.port().default(2222),
  /** The sandbox runtime's state (volumes, host keys); relative to the working directory. */
  COMPUTE_DATA_DIR: env.string().default('.data/compute'),
  /** Addresses of sandbox containers (a host bridge in this range). */
  COMPUTE_SANDBOX_SUBNET: env.string().regex(CIDR, 'an IPv4 CIDR like 10.213.0.0/16').default('10.213.0.0/16'),
  /** The host bridge the sandbox containers hang off: two computes on one host need one (and a subnet) each. */
  COMPUTE_SANDBOX_BRIDGE: env
    .string()
    // Linux interface names: at most 15 bytes, none of '/', ':' or whitespace (ip-link(8)).
    .regex(/^[A-Za-z0-9_.-]{1,15}$/, 'an interface name of 1-15 letters, digits, "_", "." or "-"')
    .default('eddc0'),
  /** The image a container gets when none is named. */
  COMPUTE_DEFAULT_IMAGE: env.string().default('ghcr.io/eddisonso/edd-cloud-compute-base:1'),
  /** Other images are allowed only under this prefix; unset = `registry.<EDD_DOMAIN>/`. */
  COMPUTE_IMAGE_PREFIX: env.string().optional(),
};

export type ComputeConfig = ServiceConfig & z.infer<z.ZodObject<typeof computeConfigShape>>;

/** Reads the environment once; production needs its own service key and sealing secret. */
export function loadComputeConfig(source: NodeJS.ProcessEnv = process.env): ComputeConfig {
  const config = loadConfig(computeConfigShape, source);
  const problems = serviceConfigProblems(config);
  if (config.NODE_ENV === 'production' && !config.COMPUTE_KEY_ENCRYPTION_SECRET) {
    problems.push('COMPUTE_KEY_ENCRYPTION_SECRET: must be set in production');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** The sealer of this configuration (the development secret when none is set outside production). */
export function sealerOf(config: ComputeConfig): Sealer {
  return createSealer(config.COMPUTE_KEY_ENCRYPTION_SECRET ?? DEV_KEY_ENCRYPTION_SECRET);
}

/** Images a user may run: the default one, or any under the prefix. */
export function imagePrefixOf(config: ComputeConfig): string {
  return config.COMPUTE_IMAGE_PREFIX ?? `registry.${config.EDD_DOMAIN}/`;
}
