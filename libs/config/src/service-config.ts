import type { z } from 'zod';
import { env } from './load-config';

export const DEFAULT_DOMAIN = 'cloud.localhost';

/** Where a laptop's infrastructure answers when nothing else is configured. */
export const DEFAULT_INFRA = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: 'nats://127.0.0.1:4222',
  redisUrl: 'redis://127.0.0.1:6379',
} as const;

/** The variables every service reads; a service spreads this into its own shape. */
export function serviceConfigShape(defaultPort: number) {
  return {
    PORT: env.port().default(defaultPort),
    HOST: env.string().default('127.0.0.1'),
    EDD_DOMAIN: env.string().default(DEFAULT_DOMAIN),
    /** Extra browser origins allowed besides the platform's own domain (comma-separated). */
    CORS_EXTRA_ORIGINS: env.list().default([]),
    DATABASE_URL: env.url().default(DEFAULT_INFRA.databaseUrl),
    /** Overrides the service's own database name (tests, a shared server). */
    DATABASE_NAME: env
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _')
      .optional(),
    NATS_URL: env.string().default(DEFAULT_INFRA.natsUrl),
    /** The service's own NATS user and password (unset: anonymous, as on a laptop's open nats-server). */
    NATS_USER: env.string().optional(),
    NATS_PASSWORD: env.string().optional(),
    REDIS_URL: env.url().default(DEFAULT_INFRA.redisUrl),
    LOG_LEVEL: env.oneOf(['debug', 'info', 'warn', 'error'] as const).default('info'),
    SHUTDOWN_GRACE_MS: env.int(0, 120_000).default(10_000),
  };
}

export type ServiceConfig = z.infer<z.ZodObject<ReturnType<typeof serviceConfigShape>>>;
