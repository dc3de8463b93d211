import { ConfigError, DEV_SERVICE_API_KEY, env, loadConfig, serviceConfigProblems, serviceConfigShape } from '@edd/config';
import { z } from 'zod';
import { parseDuration } from './domain/duration';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) ctx.addIssue({ code: 'custom', message: 'expected a duration like 90s, 15m, 24h or 7d' });
      return ms ?? 0;
    });

/** Development conveniences; production must set these explicitly (see loadAuthConfig). */
export const DEV_DEFAULTS = {
  defaultPassword: 'edd-cloud-dev',
  serviceApiKey: DEV_SERVICE_API_KEY,
} as const;

export const authConfigShape = {
  ...serviceConfigShape(4001),
  /** The user with this name is always an admin. */
  ADMIN_USERNAME: env.string().default('admin'),
  /** Created (as an admin) at first start when the users table is empty. */
  DEFAULT_USERNAME: env.string().default('admin'),
  DEFAULT_PASSWORD: z.string().min(8).optional(),
  /** Encrypts the JWT signing key at rest (AES-256-GCM); required in production, optional (plain key) in development. */
  AUTH_KEY_ENCRYPTION_SECRET: z.string().min(16).optional(),
  SESSION_TTL: duration('7d'),
  /** Failures on one username from one address per LOGIN_USER_WINDOW; then that address is refused (429). */
  LOGIN_MAX_FAILURES_PER_USER: env.int(1, 10_000).default(10),
  LOGIN_USER_WINDOW: duration('15m'),
  /** Failures on one username from all addresses per LOGIN_USER_WINDOW after which each attempt waits LOGIN_USER_SLOWDOWN_MS. */
  LOGIN_USER_SLOWDOWN_AFTER: env.int(1, 100_000).default(10),
  LOGIN_USER_SLOWDOWN_MS: env.int(0, 30_000).default(2_000),
  LOGIN_MAX_ATTEMPTS_PER_IP: env.int(1, 100_000).default(30),
  LOGIN_IP_WINDOW: duration('5m'),
  /** Prefix of every Redis key this service writes (tests use a unique one each). */
  REDIS_KEY_PREFIX: env.string().default('auth:'),
};

export type RawAuthConfig = ReturnType<typeof loadAuthConfigRaw>;

function loadAuthConfigRaw(source: NodeJS.ProcessEnv) {
  return loadConfig(authConfigShape, source);
}

export interface AuthConfig extends Omit<RawAuthConfig, 'DEFAULT_PASSWORD'> {
  /** Undefined in production when unset: no default user is created then. */
  DEFAULT_PASSWORD: string | undefined;
  /** Which values fell back to a development default (logged as warnings at start). */
  devDefaultsUsed: Array<'DEFAULT_PASSWORD' | 'SERVICE_API_KEY'>;
}

/** Loads and completes the configuration; production refuses to start without a real service key and key-sealing secret. */
export function loadAuthConfig(source: NodeJS.ProcessEnv = process.env): AuthConfig {
  const raw = loadAuthConfigRaw(source);
  const production = raw.NODE_ENV === 'production';
  const devDefaultsUsed: AuthConfig['devDefaultsUsed'] = [];
  const missingInProduction = [
    // SERVICE_API_KEY: the rule every service shares (@edd/config).
    ...serviceConfigProblems(raw),
    // The JWT signing key lives in the database: in production it is stored sealed, never in plain form.
    ...(raw.AUTH_KEY_ENCRYPTION_SECRET ? [] : ['AUTH_KEY_ENCRYPTION_SECRET: must be set in production']),
  ];
  if (production && missingInProduction.length) throw new ConfigError(missingInProduction);
  if (raw.SERVICE_API_KEY === DEV_SERVICE_API_KEY) devDefaultsUsed.push('SERVICE_API_KEY');
  if (!raw.DEFAULT_PASSWORD && !production) devDefaultsUsed.push('DEFAULT_PASSWORD');
  return {
    ...raw,
    ADMIN_USERNAME: raw.ADMIN_USERNAME.toLowerCase(),
    DEFAULT_USERNAME: raw.DEFAULT_USERNAME.toLowerCase(),
    DEFAULT_PASSWORD: raw.DEFAULT_PASSWORD ?? (production ? undefined : DEV_DEFAULTS.defaultPassword),
    devDefaultsUsed,
  };
}
